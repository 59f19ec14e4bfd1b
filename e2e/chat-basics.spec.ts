import { expect, test } from '@playwright/test';
import { createRoom, openRoom, roomSocket, say, sessionToken, staffPage, viewer } from './support/helpers';

test('mentions complete from presence and highlight for the one mentioned; links are safe; replies quote and jump', async ({ browser }) => {
  const ann = await viewer(browser, 'Ann');
  const bo = await viewer(browser, 'Bo');
  await createRoom(bo, 'Chat basics', 'chat-basics');
  await say(bo, 'welcome to the chat basics room');
  await openRoom(ann, 'chat-basics');
  // Ann's own join line comes after the history, not before it.
  await expect(ann.locator('.feed__list > li').last()).toHaveAttribute('data-testid', 'join-notice');
  await expect(ann.locator('.feed__list > li').last()).toContainText('Ann');
  await expect(bo.getByTestId('online-list')).toContainText('Ann');

  const input = bo.getByTestId('composer-input');
  await input.fill('');
  await input.pressSequentially('hello @An');
  await expect(bo.getByTestId('suggestions')).toContainText('Ann');
  await input.press('Enter');
  await expect(input).toHaveValue('hello @Ann ');
  await input.pressSequentially('read https://example.org/guide?x=1 not javascript:alert(1)');
  await input.press('Enter');
  const mention = ann.getByTestId('comment').filter({ hasText: 'hello @Ann' });
  await expect(mention).toHaveClass(/comment--mention/);
  await expect(mention.locator('.mention--self')).toHaveText('@Ann');
  const link = mention.getByRole('link', { name: 'https://example.org/guide?x=1' });
  await expect(link).toHaveAttribute('href', 'https://example.org/guide?x=1');
  await expect(link).toHaveAttribute('rel', 'noopener nofollow ugc');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(mention.getByRole('link')).toHaveCount(1); // javascript: stays text
  // A mention of you is announced at once (the live region is otherwise throttled).
  await expect(ann.getByTestId('announcer')).toContainText('Bo mentioned you');
  // Bo's own comment is not highlighted as a mention of anyone.
  await expect(bo.getByTestId('comment').filter({ hasText: 'hello @Ann' })).not.toHaveClass(/comment--mention/);
  await ann.screenshot({ path: 'e2e/artifacts/mention-link.png' });

  // Reply: the quote names the original, and activating it jumps there.
  await mention.hover();
  await mention.getByTestId('reply').click();
  await expect(ann.getByTestId('reply-bar')).toContainText('Replying to Bo');
  await ann.getByTestId('composer-input').fill('thanks, reading it now');
  await ann.getByTestId('composer-input').press('Enter');
  const reply = bo.getByTestId('comment').filter({ hasText: 'thanks, reading it now' });
  await expect(reply.getByTestId('reply-quote')).toContainText('Bo: hello @Ann read https://example.org');
  await expect(ann.getByTestId('reply-bar')).toHaveCount(0);
  await reply.getByTestId('reply-quote').click();
  await expect(bo.getByTestId('comment').filter({ hasText: 'hello @Ann', hasNot: bo.getByTestId('reply-quote') })).toBeFocused();
  await bo.screenshot({ path: 'e2e/artifacts/reply.png' });
  await ann.context().close();
  await bo.context().close();
});

test('emoji picker inserts emoji with data served by the app, and :shortcode: completes', async ({ browser }) => {
  const cy = await viewer(browser, 'Cy');
  const requests: string[] = [];
  cy.on('request', (r) => requests.push(r.url()));
  await openRoom(cy, 'main-stage');
  const input = cy.getByTestId('composer-input');
  await input.fill('party ');
  await cy.getByTestId('emoji-toggle').click();
  const panel = cy.getByTestId('emoji-panel');
  const firstEmoji = panel.getByRole('menuitem').first();
  await expect(firstEmoji).toBeVisible({ timeout: 15_000 });
  await cy.screenshot({ path: 'e2e/artifacts/emoji-picker.png' });
  await firstEmoji.click();
  await expect(panel).toHaveCount(0);
  await expect(input).toHaveValue(/^party \p{Extended_Pictographic}/u);
  // Every request stayed on this origin: no CDN.
  const origin = new URL(cy.url()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);

  await input.fill('');
  await input.pressSequentially('nice :thumbs');
  await expect(cy.getByTestId('suggestions')).toContainText(':thumbsup:');
  await input.press('Enter');
  await expect(input).toHaveValue(/^nice 👍\uFE0F?$/u);
  await input.pressSequentially(' :tada:');
  await expect(input).toHaveValue(/^nice 👍\uFE0F? 🎉$/u);
  await input.press('Enter');
  await expect(cy.getByTestId('comment').filter({ hasText: /nice 👍\uFE0F? 🎉/u })).toBeVisible();
  await cy.context().close();
});

test('your own comment takes you to the bottom and is not counted as new; compact layout and hidden joins are remembered', async ({ browser }) => {
  const di = await viewer(browser, 'Di');
  const ed = await viewer(browser, 'Ed');
  await createRoom(ed, 'Scroll room', 'scroll-room');
  for (let i = 1; i <= 14; i++) await say(ed, `filler comment number ${i} with enough words to take some room on screen`);
  await openRoom(di, 'scroll-room');
  await di.setViewportSize({ width: 900, height: 420 });
  const feed = di.getByTestId('feed');
  // The smaller window left the feed where it was (scrollTop 0, no scroll event): settle at the bottom first.
  await feed.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await feed.hover();
  await di.mouse.wheel(0, -5_000);
  await expect.poll(() => feed.evaluate((el) => el.scrollTop)).toBe(0);
  await say(ed, 'something new while Di reads back');
  await expect(di.getByTestId('new-pill')).toHaveText(/1 new comment/);
  await say(di, 'my own comment from up there');
  await expect(di.getByTestId('new-pill')).toHaveCount(0);
  const atBottom = await feed.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48);
  expect(atBottom).toBe(true);

  await expect(di.getByTestId('join-notice').first()).toBeVisible();
  await di.getByTestId('chat-options').click();
  await di.getByTestId('pref-compact').check();
  await di.getByTestId('pref-hide-joins').check();
  await expect(di.getByTestId('join-notice')).toHaveCount(0);
  await expect(di.locator('.comment--compact').first()).toBeVisible();
  await di.reload();
  await expect(feed).toHaveAttribute('aria-busy', 'false');
  await expect(di.locator('.comment--compact').first()).toBeVisible();
  await expect(di.getByTestId('join-notice')).toHaveCount(0);
  await di.getByTestId('chat-options').click();
  await di.screenshot({ path: 'e2e/artifacts/compact.png' });
  await di.context().close();
  await ed.context().close();
});

test('a reply whose original a moderator deleted shows it as removed, live and after a reload', async ({ browser }) => {
  const slug = `reply-deleted-${Date.now().toString(36)}`;
  const fay = await viewer(browser, 'Fay');
  const gil = await viewer(browser, 'Gil');
  expect((await fay.request.post('/api/rooms', { data: { title: 'Deleted originals', slug } })).ok()).toBe(true);
  await openRoom(fay, slug);
  await openRoom(gil, slug);
  await say(fay, 'an original that will go');
  const original = gil.getByTestId('comment').filter({ hasText: 'an original that will go' });
  await original.hover();
  await original.getByTestId('reply').click();
  await gil.getByTestId('composer-input').fill('a reply that stays');
  await gil.getByTestId('composer-input').press('Enter');
  const reply = fay.getByTestId('comment').filter({ hasText: 'a reply that stays' });
  await expect(reply.getByTestId('reply-quote')).toContainText('Fay: an original that will go');

  const mod = await staffPage(browser);
  await openRoom(mod, slug);
  const target = mod.getByTestId('comment').filter({ hasText: 'an original that will go', hasNot: mod.getByTestId('reply-quote') });
  await target.hover();
  await target.getByTestId('mod-delete').click();

  // Open pages: the original leaves the feed and the reply's quote says it was removed.
  await expect(fay.getByTestId('comment').filter({ hasText: 'an original that will go', hasNot: fay.getByTestId('reply-quote') })).toHaveCount(0);
  await expect(reply.getByTestId('reply-quote')).toHaveText('↩ Original comment removed');
  await expect(reply.getByTestId('reply-quote')).not.toContainText('an original that will go');
  // A page opened afterwards asks for the original, learns it is gone, and says the same.
  await gil.reload();
  await expect(gil.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
  const reloaded = gil.getByTestId('comment').filter({ hasText: 'a reply that stays' });
  await expect(reloaded.getByTestId('reply-quote')).toHaveClass(/reply-quote--removed/);
  await expect(reloaded.getByTestId('reply-quote')).not.toContainText('an original that will go');
  await gil.screenshot({ path: 'e2e/artifacts/reply-removed.png' });
  for (const p of [fay, gil, mod]) await p.context().close();
});

test('a reply whose original is not loaded pages back to it and jumps there', async ({ browser, baseURL }) => {
  const slug = `reply-far-${Date.now().toString(36)}`;
  const host = await viewer(browser, 'Hal');
  expect((await host.request.post('/api/rooms', { data: { title: 'Far originals', slug } })).ok()).toBe(true);
  // Five senders keep each under the rate limit (20 per 30 s) while the original sinks 70 comments deep:
  // the page's first screen (50) and its first look back do not reach it.
  const senders = await Promise.all(['Ora', 'Pip', 'Quin', 'Rue', 'Sol'].map(async (n) => roomSocket(baseURL!, await sessionToken(baseURL!, n), slug)));
  try {
    const send = async (i: number, content: string, replyTo: number | null = null) => {
      const ack = await senders[i % senders.length]!.timeout(10_000).emitWithAck('say', { roomId: slug, content, clientMsgId: `${slug}-${i}`, replyTo });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return (ack as { data: { seq: number } }).data.seq;
    };
    const originalSeq = await send(0, 'the far original');
    for (let i = 1; i <= 70; i++) await send(i, `filler ${i}`);
    await send(71, 'answering the far original', originalSeq);

    await openRoom(host, slug);
    const reply = host.getByTestId('comment').filter({ hasText: 'answering the far original' });
    // The quote was fetched by itself (the original is not in the feed).
    await expect(reply.getByTestId('reply-quote')).toContainText('Ora: the far original');
    await expect(host.locator(`#c${originalSeq}`)).toHaveCount(0);
    await reply.getByTestId('reply-quote').click();
    const original = host.locator(`#c${originalSeq}`);
    await expect(original).toBeFocused();
    await expect(original).toBeInViewport();
    await expect(original).toContainText('the far original');
    // Paged back contiguously: everything between the original and the reply is there, once each.
    await expect(host.getByTestId('comment').filter({ hasText: /filler \d+/ })).toHaveCount(70);
    await host.screenshot({ path: 'e2e/artifacts/reply-jump-far.png' });
  } finally {
    senders.forEach((s) => s.disconnect());
    await host.context().close();
  }
});

test('a mention of a present user whose name has spaces is the whole name, completed and highlighted', async ({ browser }) => {
  const slug = `spaced-names-${Date.now().toString(36)}`;
  const mary = await viewer(browser, 'Mary Ann Lee');
  const tom = await viewer(browser, 'Tom');
  expect((await tom.request.post('/api/rooms', { data: { title: 'Spaced names', slug } })).ok()).toBe(true);
  await openRoom(mary, slug);
  await openRoom(tom, slug);
  await expect(tom.getByTestId('online-list')).toContainText('Mary Ann Lee');
  const input = tom.getByTestId('composer-input');
  await input.pressSequentially('hi @Mary Ann L');
  await expect(tom.getByTestId('suggestions')).toContainText('Mary Ann Lee');
  await input.press('Enter');
  await expect(input).toHaveValue('hi @Mary Ann Lee ');
  await input.pressSequentially('welcome');
  await input.press('Enter');
  const seen = mary.getByTestId('comment').filter({ hasText: 'welcome' });
  await expect(seen.locator('.mention--self')).toHaveText('@Mary Ann Lee');
  await expect(seen).toHaveClass(/comment--mention/);
  // The sender's own page styles the whole name too (Mary is present).
  await expect(tom.getByTestId('comment').filter({ hasText: 'welcome' }).locator('.mention')).toHaveText('@Mary Ann Lee');
  await mary.screenshot({ path: 'e2e/artifacts/mention-spaced-name.png' });
  await mary.context().close();
  await tom.context().close();
});
