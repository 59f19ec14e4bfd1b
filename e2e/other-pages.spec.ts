import { expect, test } from '@playwright/test';
import { openRoom, say, viewer } from './support/helpers';

test('an unknown room gets the themed 404 with a way back', async ({ page }) => {
  const res = await page.goto('/rooms/no-such-room-here');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/not-found.png' });
  await page.getByRole('link', { name: 'Back to the live rooms' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('public/ serves the favicon, icons, web manifest and robots.txt, linked from every page', async ({ page, request }) => {
  for (const path of ['/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png', '/robots.txt']) {
    expect((await request.get(path)).status(), path).toBe(200);
  }
  const manifest = (await (await request.get('/manifest.webmanifest')).json()) as { name: string; icons: unknown[] };
  expect(manifest).toMatchObject({ name: 'Liveroom' });
  expect(manifest.icons.length).toBeGreaterThan(1);
  await page.goto('/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute('href', /favicon\.svg/);
});

test('a guest renames themselves: presence and later comments show the new name', async ({ browser }) => {
  const ivy = await viewer(browser, 'Ivy');
  const jo = await viewer(browser, 'Jo');
  await openRoom(ivy, 'main-stage');
  await openRoom(jo, 'main-stage');
  await say(ivy, 'before my new name');
  await ivy.getByTestId('identity').locator('summary').click();
  await ivy.getByTestId('identity').getByLabel('Display name').fill('Ivy Renamed');
  await ivy.getByRole('button', { name: 'Rename' }).click();
  await expect(ivy.getByTestId('identity')).toContainText('Ivy Renamed');
  await expect(jo.getByTestId('online-list')).toContainText('Ivy Renamed');
  await expect(ivy.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await say(ivy, 'after my new name');
  await expect(jo.getByTestId('comment').filter({ hasText: 'after my new name' })).toContainText('Ivy Renamed');
  await ivy.context().close();
  await jo.context().close();
});

test('a page that fails while rendering gets the themed error page, with a retry and a way back', async ({ page }) => {
  // Make the room's feed fail on the client (its IntersectionObserver, created in an effect, throws):
  // React hands the error to the nearest error boundary, app/error.tsx. Other observers work as usual.
  await page.addInitScript(() => {
    const Real = window.IntersectionObserver;
    window.IntersectionObserver = class extends Real {
      constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
        if (options?.root instanceof HTMLElement && options.root.dataset.testid === 'feed') throw new Error('e2e: the feed failed');
        super(callback, options);
      }
    };
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/rooms/main-stage');
  const alert = page.locator('main.status-page[role="alert"]');
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/error-page.png' });
  // Themed: the page keeps the app's colours, not a browser default.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  await alert.getByRole('link', { name: 'Back to the live rooms' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Live rooms' })).toBeVisible();
});

test('on a 390 px phone the room title reads whole', async ({ browser }) => {
  const page = await viewer(browser, 'Pho');
  await page.setViewportSize({ width: 390, height: 844 });
  await openRoom(page, 'main-stage');
  const title = page.getByRole('heading', { name: 'Main stage', level: 1 });
  await expect(title).toBeVisible();
  // Nothing of it is cut off (no ellipsis, no clamped second line).
  const clipped = await title.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
  expect(clipped).toBe(false);
  // The watching pill gave up its words for the number; a screen reader still hears them.
  await expect(page.getByTestId('online-count')).toContainText(/\d+ watching/);
  await page.screenshot({ path: 'e2e/artifacts/room-phone-390.png' });
  await page.context().close();
});
