import { expect, test } from '@playwright/test';
import { commentTexts, openRoom, say, viewer } from './support/helpers';

test('two viewers chat both ways, see each other enter, and history survives a reload', async ({ browser }) => {
  const ana = await viewer(browser, 'Ana');
  const bo = await viewer(browser, 'Bo');
  await openRoom(ana, 'main-stage');
  await openRoom(bo, 'main-stage');
  await expect(ana.getByTestId('join-notice').filter({ hasText: 'Bo' })).toBeVisible();
  await expect(ana.getByTestId('online-list')).toContainText('Bo');

  await say(ana, 'Hi Bo, can you hear the stream?');
  await expect(bo.getByTestId('comment').filter({ hasText: 'Hi Bo, can you hear the stream?' })).toBeVisible();
  await say(bo, 'Loud and clear <b>Ana</b>');
  await expect(ana.getByTestId('comment').filter({ hasText: 'Loud and clear <b>Ana</b>' })).toBeVisible();
  // Own comments are marked.
  await expect(bo.locator('.comment--own').filter({ hasText: 'Loud and clear' })).toBeVisible();

  await bo.reload();
  await expect(bo.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
  const texts = await commentTexts(bo);
  expect(texts.slice(-2)).toEqual(['Hi Bo, can you hear the stream?', 'Loud and clear <b>Ana</b>']);
  await ana.context().close();
  await bo.context().close();
});

test('a viewer who drops offline gets the missed comments once, in order, when back', async ({ browser }) => {
  const cy = await viewer(browser, 'Cy');
  const di = await viewer(browser, 'Di');
  await openRoom(cy, 'main-stage');
  await openRoom(di, 'main-stage');
  await say(di, 'before the drop');
  await expect(cy.getByTestId('comment').filter({ hasText: 'before the drop' })).toBeVisible();

  await cy.context().setOffline(true);
  await expect(cy.getByTestId('connection')).not.toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(cy.getByTestId('connection-banner')).toBeVisible();
  const missed = ['missed one', 'missed two', 'missed three', 'missed four', 'missed five'];
  for (const m of missed) await say(di, m);
  await cy.context().setOffline(false);
  await expect(cy.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(cy.getByTestId('comment').filter({ hasText: 'missed five' })).toBeVisible();
  const texts = await commentTexts(cy);
  const start = texts.indexOf('before the drop');
  expect(texts.slice(start, start + 6)).toEqual(['before the drop', ...missed]);
  for (const m of missed) expect(texts.filter((t) => t === m)).toHaveLength(1);
  await expect(cy.getByTestId('connection-banner')).toBeHidden();
  await cy.context().close();
  await di.context().close();
});

test('a comment typed offline outlives its page: the next page of the room sends it, once', async ({ browser }) => {
  const page = await viewer(browser, 'Ines');
  const context = page.context();
  await openRoom(page, 'main-stage');
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).not.toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  const text = `typed into a dead connection ${Date.now()}`;
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect(page.getByTestId('outgoing').filter({ hasText: text })).toBeVisible();
  // The tab is closed before the connection comes back: only local storage remembers the comment.
  await page.close();
  await context.setOffline(false);
  const next = await context.newPage();
  await openRoom(next, 'main-stage');
  await expect(next.getByTestId('comment').filter({ hasText: text })).toHaveCount(1);
  await expect(next.getByTestId('outgoing')).toHaveCount(0);
  await next.reload();
  await expect(next.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
  expect((await commentTexts(next)).filter((t) => t === text)).toHaveLength(1);
  await context.close();
});

test('a busy room looks right (screenshot artifact)', async ({ browser }) => {
  const host = await viewer(browser, 'Host');
  const guests = await Promise.all(['Eve', 'Finn', 'Gus'].map((n) => viewer(browser, n)));
  await openRoom(host, 'main-stage');
  for (const g of guests) await openRoom(g, 'main-stage');
  const lines = [
    'Welcome everyone to the launch stream! 🎉',
    'Audio is perfect from Lisbon',
    'Can you show the pricing page again?',
    'This UI is so smooth',
    'Question: will the recording be available later?',
    'Yes — we will post it tonight.',
  ];
  const speakers = [host, ...guests];
  for (let i = 0; i < lines.length; i++) await say(speakers[i % speakers.length]!, lines[i]!);
  await expect(host.getByTestId('comment').filter({ hasText: 'post it tonight' })).toBeVisible();
  await expect(host.getByTestId('online-count')).toContainText('4 watching');
  await host.setViewportSize({ width: 1280, height: 800 });
  await host.screenshot({ path: 'e2e/artifacts/busy-room.png' });
  await host.setViewportSize({ width: 390, height: 780 });
  await host.screenshot({ path: 'e2e/artifacts/busy-room-mobile.png' });
  for (const p of speakers) await p.context().close();
});
