import { expect, test, type Page } from '@playwright/test';
import { openRoom, say, staffPage, viewer } from './support/helpers';

async function newRoom(page: Page, slug: string, title: string): Promise<void> {
  const res = await page.request.post('/api/rooms', { data: { title, slug } });
  expect(res.status()).toBe(201);
}

const unique = (base: string) => `${base}-${Date.now().toString(36)}`;

test('a moderator deletes a comment from the room page and the viewer\'s copy vanishes', async ({ browser }) => {
  const vic = await viewer(browser, 'Vic');
  const slug = unique('mod-delete');
  await newRoom(vic, slug, 'Deletion test');
  await openRoom(vic, slug);
  await say(vic, 'please delete me');
  await say(vic, 'I stay');

  const mod = await staffPage(browser, { width: 1440, height: 1000 });
  await openRoom(mod, slug);
  const target = mod.getByTestId('comment').filter({ hasText: 'please delete me' });
  await target.hover();
  await target.getByTestId('mod-menu').click();
  await expect(mod.getByRole('menu')).toBeVisible();
  await mod.screenshot({ path: 'e2e/artifacts/mod-room-actions.png' });
  await mod.keyboard.press('Escape');
  await target.hover();
  await target.getByTestId('mod-delete').click();

  await expect(vic.getByTestId('comment').filter({ hasText: 'please delete me' })).toHaveCount(0);
  await expect(mod.getByTestId('comment').filter({ hasText: 'please delete me' })).toHaveCount(0);
  await expect(vic.getByTestId('comment').filter({ hasText: 'I stay' })).toBeVisible();
  await vic.reload();
  await expect(vic.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
  await expect(vic.getByTestId('comment').filter({ hasText: 'I stay' })).toBeVisible();
  await expect(vic.getByTestId('comment').filter({ hasText: 'please delete me' })).toHaveCount(0);
  await vic.context().close();
  await mod.context().close();
});

test('a timed-out viewer sees how long to wait', async ({ browser }) => {
  const tia = await viewer(browser, 'Tia');
  const slug = unique('mod-timeout');
  await newRoom(tia, slug, 'Timeout test');
  await openRoom(tia, slug);
  await say(tia, 'too loud');

  const mod = await staffPage(browser, { width: 1440, height: 1000 });
  await openRoom(mod, slug);
  const target = mod.getByTestId('comment').filter({ hasText: 'too loud' });
  await target.hover();
  await target.getByTestId('mod-timeout').click();
  await expect(mod.getByRole('status').filter({ hasText: 'timed out for 5 min' })).toBeVisible();

  // The open tab is told at once: the composer turns into the countdown.
  await expect(tia.getByTestId('restriction')).toContainText(/can comment again in 4:5\d|can comment again in 5:00/);
  // A tab opened afterwards learns it from the join.
  await tia.reload();
  await expect(tia.getByTestId('restriction')).toContainText(/can comment again in \d:\d\d/);
  await tia.context().close();
  await mod.context().close();
});

test('the console shows page views rise after a viewer joins, and its chart (screenshot)', async ({ browser }) => {
  const host = await viewer(browser, 'Hana');
  const slug = unique('mod-stats');
  await newRoom(host, slug, 'Launch stream');
  const mod = await staffPage(browser, { width: 1440, height: 1000 });

  const row = mod.locator(`[data-testid="room-row"][data-room="${slug}"]`);
  await expect(row).toBeVisible();
  const before = Number(await row.getByTestId('page-views').innerText());

  await openRoom(host, slug);
  await expect.poll(async () => Number(await row.getByTestId('page-views').innerText()), { timeout: 15_000 }).toBeGreaterThan(before);

  // Some activity for the chart: three viewers talking.
  const guests = await Promise.all(['Ivo', 'Jun'].map((n) => viewer(browser, n)));
  for (const g of guests) await openRoom(g, slug);
  const lines = ['Stream is up!', 'Audio ok here', 'Can you zoom in?', 'Great demo', 'Pricing next?', 'Looks fast'];
  for (const [i, text] of lines.entries()) await say([host, ...guests][i % 3]!, text);

  await mod.goto(`/mod/rooms/${slug}`);
  // A console action: slow mode, which the room's viewers are told about and the audit log records.
  await mod.getByTestId('slow-mode').selectOption('10');
  await expect(host.getByText('Slow mode: one comment every 10 s.')).toBeVisible();
  await expect(mod.getByTestId('audit-log')).toContainText('slow mode 10s');
  await expect(mod.getByTestId('stat-page-views')).toContainText('3');
  await expect(mod.getByTestId('stat-comments')).toContainText('6');
  await expect(mod.getByTestId('top-chatters')).toContainText('Hana');
  // Minute rollups reach the database every 10 s; the chart polls every 3 s.
  await expect(mod.locator('[data-testid="activity-chart"] .recharts-bar-rectangle').first()).toBeVisible({ timeout: 20_000 });
  await mod.screenshot({ path: 'e2e/artifacts/mod-room-console.png', fullPage: true });

  await mod.goto('/mod');
  await expect(row).toBeVisible();
  await mod.screenshot({ path: 'e2e/artifacts/mod-console.png' });
  for (const p of [host, ...guests, mod]) await p.context().close();
});

test('console APIs refuse viewers: 401 without a session, 403 for a guest', async ({ browser, request }) => {
  expect((await request.get('/api/mod/rooms')).status()).toBe(401);
  const guest = await viewer(browser, 'Nosy');
  expect((await guest.request.get('/api/mod/rooms')).status()).toBe(403);
  const detail = await guest.request.get('/api/mod/rooms/main-stage');
  expect(detail.status()).toBe(403);
  expect((await detail.json()).code).toBe('forbidden');
  const appoint = await guest.request.post('/api/mod/rooms/main-stage/moderators', { data: { userId: 'someone' } });
  expect(appoint.status()).toBe(403);
  const badLogin = await guest.request.post('/api/auth/login', { data: { login: 'e2e-admin', password: 'wrong-password' } });
  expect(badLogin.status()).toBe(401);
  await guest.goto('/mod');
  await expect(guest.getByTestId('mod-problem')).toContainText('Not allowed');
  await guest.context().close();
});

test('a moderator gives a reason for a ban from the room page, and the viewer reads it', async ({ browser }) => {
  const mod = await staffPage(browser, { width: 1440, height: 1000 });
  const kit = await viewer(browser, 'Kit');
  await openRoom(mod, 'main-stage');
  await openRoom(kit, 'main-stage');
  await say(kit, 'spam spam spam');
  const comment = mod.getByTestId('comment').filter({ hasText: 'spam spam spam' });
  await comment.hover();
  await comment.getByTestId('mod-menu').click();
  await mod.getByTestId('mod-reason').fill('Spamming the chat');
  await mod.getByTestId('mod-menu-ban').click();
  await expect(kit.getByTestId('restriction')).toContainText('Spamming the chat');
  await mod.context().close();
  await kit.context().close();
});
