import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createRoom, openRoom, say, viewer } from './support/helpers';

/**
 * A stream page on another site: `localhost` while the app is `127.0.0.1`, so the iframe is third-party
 * (the SameSite=Lax session cookie would not be sent to it).
 */
async function hostPage(embedUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>My stream</title><body style="margin:0;display:flex;gap:8px;background:#222">
      <div style="flex:1;color:#fff;font:16px sans-serif;padding:1rem">The stream would play here.</div>
      <iframe src="${embedUrl}" title="Liveroom chat" width="340" height="600" style="border:0"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the embedded chat works inside a cross-site iframe at 340 px: sign-in by token, comments both ways', async ({ browser, baseURL }) => {
  const host = await hostPage(`${baseURL}/embed/main-stage`);
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  const chat = page.frameLocator('iframe');
  await expect(chat.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await expect(chat.getByRole('heading', { name: 'Main stage' })).toBeVisible();
  const titleWidth = await chat.getByRole('heading', { name: 'Main stage' }).evaluate((el) => el.getBoundingClientRect().width);
  expect(titleWidth).toBeGreaterThan(80); // not squeezed to "C…"

  await chat.getByLabel('Display name').fill('Framed Fay');
  await chat.getByRole('button', { name: 'Join the chat' }).click();
  await chat.getByTestId('composer-input').fill('hello from inside the iframe');
  await chat.getByTestId('composer-input').press('Enter');
  await expect(chat.getByTestId('comment').filter({ hasText: 'hello from inside the iframe' })).toBeVisible();
  await expect(chat.locator('.composer [role="alert"]')).toHaveCount(0); // no "Pick a display name" refusal

  const gus = await viewer(browser, 'Gus');
  await openRoom(gus, 'main-stage');
  await expect(gus.getByTestId('comment').filter({ hasText: 'hello from inside the iframe' })).toContainText('Framed Fay');
  await say(gus, 'welcome, framed viewer');
  await expect(chat.getByTestId('comment').filter({ hasText: 'welcome, framed viewer' })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/embed-iframe.png' });
  expect(errors).toEqual([]); // e.g. blocked third-party storage must not break the frame

  await context.close();
  await gus.context().close();
  await host.close();
});

test('only the embed may be framed by another site', async ({ request }) => {
  const room = await request.get('/rooms/main-stage');
  expect(room.headers()['content-security-policy']).toBe("frame-ancestors 'self'");
  const embed = await request.get('/embed/main-stage');
  expect(embed.status()).toBe(200);
  expect(embed.headers()['content-security-policy']).toBeUndefined();
});

test('the embed page passes axe, and the room owner gets a copy-paste snippet', async ({ browser, baseURL }) => {
  const owner = await viewer(browser, 'Owner Olu');
  await createRoom(owner, 'Embed me', 'embed-me');
  await owner.getByTestId('embed-snippet-toggle').click();
  await expect(owner.getByTestId('embed-snippet')).toHaveValue(`<iframe src="${baseURL}/embed/embed-me" title="Liveroom chat" width="360" height="640" style="border:0;max-width:100%" allow="clipboard-write"></iframe>`);
  await owner.screenshot({ path: 'e2e/artifacts/embed-snippet.png' });

  await owner.setViewportSize({ width: 340, height: 600 });
  await owner.goto('/embed/embed-me');
  await expect(owner.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const result = await new AxeBuilder({ page: owner }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  const popup = owner.waitForEvent('popup');
  await owner.getByTestId('popout').click();
  await expect(await popup).toHaveURL(/\/embed\/embed-me$/);
  await owner.context().close();
});
