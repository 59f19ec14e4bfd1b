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
