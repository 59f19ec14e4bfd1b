import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openRoom, say, viewer } from './support/helpers';

/**
 * A seed-era page (e2e/support/seed-page.html: raw WebSocket, the seed's JSON frames) and the web app,
 * in one room, chatting both ways. The page is served from a static server of its own, on a port the
 * system picks, so it is cross-origin to Liveroom exactly as a page of the old PHP site would be.
 */
const PAGE = fs.readFileSync(path.join(import.meta.dirname, 'support', 'seed-page.html'));
const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
let site: http.Server;
let siteUrl: string;

test.beforeAll(async () => {
  site = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/live.html') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => site.close(() => resolve()));
});

test('a seed-era page and the web app chat in one room, both ways', async ({ browser, baseURL }) => {
  const room = 'main-stage';
  const web = await viewer(browser, 'Wen');
  await openRoom(web, room);

  const seedContext = await browser.newContext();
  const seed = await seedContext.newPage();
  const ws = `${baseURL!.replace(/^http/, 'ws')}/gw`;
  await seed.goto(`${siteUrl}/live.html?${new URLSearchParams({ ws, roomId: room, userId: '42', userName: 'Seed Sam' })}`);
  await expect(seed.locator('#status')).toContainText(/connected, client_id [0-9a-f]{20}/);
  await expect(seed.locator('#messages .join').filter({ hasText: 'Seed Sam enters the Room' })).toBeVisible();
  await expect(web.getByTestId('join-notice').filter({ hasText: 'Seed Sam' })).toBeVisible();

  // Seed page → web app.
  await seed.locator('#content').fill('hello from the 2018 page');
  await seed.locator('#content').press('Enter');
  await expect(web.getByTestId('comment').filter({ hasText: 'hello from the 2018 page' })).toBeVisible();
  await expect(seed.locator('#messages .say').filter({ hasText: 'Seed Sam: hello from the 2018 page' })).toBeVisible();

  // Web app → seed page, in the seed's format (server time as Y-m-d H:i:s).
  await say(web, 'hi Sam, the web app hears you');
  const reply = seed.locator('#messages .say').filter({ hasText: 'Wen: hi Sam, the web app hears you' });
  await expect(reply).toBeVisible();
  await expect(reply.locator('.time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await seed.screenshot({ path: path.join(ARTIFACTS, 'gatewayworker-seed-page.png') });
  await web.screenshot({ path: path.join(ARTIFACTS, 'gatewayworker-web-app.png') });
  await seedContext.close();
  await web.context().close();
});
