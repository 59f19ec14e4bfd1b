import { expect, test, type Page } from '@playwright/test';
import { startHlsFixture, type HlsFixture } from './support/hls-fixture';
import { openRoom, roomSocket, say, sessionToken, viewer } from './support/helpers';

/**
 * The live room around the chat (issue 14): a test-pattern HLS stream beside the chat (desktop) and
 * above it (mobile), the owner switching the source and going live while viewers' pages follow without
 * a reload and the lobby lists the room as live, danmaku over the video, a deleted comment leaving the
 * overlay at once, and the overlay's frame time at 50 comments/s (reported, not asserted).
 */
let hls: HlsFixture;
test.beforeAll(async () => {
  hls = await startHlsFixture();
});
test.afterAll(async () => {
  await hls?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/artifacts/${name}.png` });

/** Waits until the video element has played a while (frames decoded, time advancing). */
async function expectPlaying(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('player-video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
    .toBeGreaterThan(1);
}

test('owner sets an HLS source and goes live; viewers follow without reload; lobby shows it live; danmaku and deletion', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const owner = await viewer(browser, 'Olga');
  const slug = `stream-${Date.now().toString(36)}`;
  const created = await owner.request.post('/api/rooms', { data: { title: 'Test pattern live', slug } });
  expect(created.ok()).toBe(true);
  await owner.setViewportSize({ width: 1280, height: 760 });
  await openRoom(owner, slug);
  await expect(owner.getByTestId('stream-badge')).toHaveAttribute('data-status', 'offline');

  // A viewer already on the page before anything is set.
  const watcher = await viewer(browser, 'Wen');
  await watcher.setViewportSize({ width: 1280, height: 760 });
  await openRoom(watcher, slug);
  await expect(watcher.getByTestId('stage')).toHaveCount(0); // no source yet: chat only
  await watcher.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  // The owner sets the source (first the bars), then goes live.
  await owner.getByTestId('stream-source').fill('ftp://example.com/x.m3u8');
  await owner.getByTestId('stream-save').click();
  await expect(owner.getByTestId('stream-error')).toContainText('http and https');
  await owner.getByTestId('stream-source').fill(hls.urls.bars!);
  await owner.getByTestId('stream-save').click();
  await expect(watcher.getByTestId('player-video')).toHaveAttribute('data-src', hls.urls.bars!);
  await expect(watcher.getByTestId('player-note')).toHaveText('The stream is offline');
  await owner.getByTestId('stream-status-live').click();
  await expect(watcher.getByTestId('stream-badge')).toHaveAttribute('data-status', 'live');
  await expect(watcher.getByTestId('connection')).toHaveText('Connected'); // a separate indicator
  await expect(watcher.getByTestId('player-note')).toHaveCount(0);
  await expectPlaying(watcher);

  // Switch the source live: the open page changes player without a reload.
  await owner.getByTestId('stream-source').fill(hls.urls.pattern!);
  await owner.getByTestId('stream-save').click();
  await expect(watcher.getByTestId('player-video')).toHaveAttribute('data-src', hls.urls.pattern!);
  expect(await watcher.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  await expectPlaying(watcher);

  // The lobby lists it first, marked live.
  const lobby = await browser.newPage();
  await lobby.goto('/');
  await expect(lobby.getByTestId('room-card').first()).toContainText('Test pattern live', { timeout: 15_000 });
  await expect(lobby.getByTestId('room-card').first().getByTestId('room-live')).toBeVisible();
  await shot(lobby, 'stream-lobby-live');
  await lobby.close();

  // Danmaku: comments fly over the video; the owner's own are outlined.
  for (const text of ['hello from the chat', 'what a test pattern', '弾幕 works too 🎉']) await say(watcher, text);
  await say(owner, 'owner says hi');
  await expect(watcher.locator('.danmaku__item').filter({ hasText: 'hello from the chat' })).toHaveCount(1);
  await expect(owner.locator('.danmaku__item--own').filter({ hasText: 'owner says hi' })).toHaveCount(1);
  await owner.waitForTimeout(1_200); // let them travel in
  await shot(watcher, 'stream-desktop-danmaku');
  await shot(owner, 'stream-owner-controls');

  // Side by side on desktop: the player left of the chat.
  const player = await watcher.locator('.player').boundingBox();
  const chat = await watcher.locator('.room__chat').boundingBox();
  expect(player && chat && player.x + player.width <= chat.x + 1).toBe(true);

  // A deleted comment leaves the overlay at once. First, room for it: the four comments above fill this
  // stage's four lanes, and one arriving while every lane is busy is dropped by design. A lane is free once
  // its comment's tail has come in from the right edge by the gap (28 px): wait for that, not a fixed time.
  await expect
    .poll(() =>
      watcher.getByTestId('danmaku').evaluate((stage) =>
        [...stage.querySelectorAll<HTMLElement>('.danmaku__item')].every((el) => {
          const anim = el.getAnimations()[0];
          const duration = Number(anim?.effect?.getTiming().duration);
          const travelled = (Number(anim?.currentTime ?? 0) / duration) * (stage.clientWidth + el.offsetWidth);
          return travelled >= el.offsetWidth + 28 + 8;
        }),
      ),
    )
    .toBe(true);
  const ownerToken = (await owner.context().cookies()).find((c) => c.name === 'lr_session')!.value;
  const mod = await roomSocket(baseURL!, ownerToken, slug);
  const sender = await roomSocket(baseURL!, await sessionToken(baseURL!, 'Spammy'), slug);
  try {
    const said = await sender.timeout(10_000).emitWithAck('say', { roomId: slug, content: 'delete me please', clientMsgId: `e2e-del-${Date.now()}` });
    expect(said.ok).toBe(true);
    const item = watcher.locator(`.danmaku__item[data-seq="${said.data.seq}"]`);
    await expect(item).toHaveCount(1);
    await watcher.waitForTimeout(1_500); // well inside the picture
    await shot(watcher, 'stream-danmaku-before-delete');
    const started = Date.now();
    const deleted = await mod.timeout(10_000).emitWithAck('mod:delete', { roomId: slug, seqs: [said.data.seq] });
    expect(deleted.ok).toBe(true);
    await expect(item).toHaveCount(0, { timeout: 2_000 });
    console.log(`[danmaku] deleted comment left the overlay ${Date.now() - started} ms after mod:delete was sent`);
    await shot(watcher, 'stream-danmaku-after-delete');
  } finally {
    mod.disconnect();
    sender.disconnect();
  }

  // Mobile: the player above the chat.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, baseURL: baseURL! });
  const mobile = await phone.newPage();
  await openRoom(mobile, slug);
  await expectPlaying(mobile);
  const mp = await mobile.locator('.player').boundingBox();
  const mc = await mobile.locator('.room__chat').boundingBox();
  expect(mp && mc && mp.y + mp.height <= mc.y + 1).toBe(true);
  await say(watcher, 'seen on a phone');
  await expect(mobile.locator('.danmaku__item').filter({ hasText: 'seen on a phone' })).toHaveCount(1);
  await mobile.waitForTimeout(800);
  await shot(mobile, 'stream-mobile');

  // Theatre mode.
  await watcher.getByTestId('theatre-toggle').click();
  await expect(watcher.locator('main.room--theatre')).toHaveCount(1);
  await shot(watcher, 'stream-theatre');

  await phone.close();
  await owner.context().close();
  await watcher.context().close();
});

test('danmaku frame time at 50 comments/s (reported)', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const owner = await viewer(browser, 'Fiona');
  const slug = `burst-${Date.now().toString(36)}`;
  expect((await owner.request.post('/api/rooms', { data: { title: 'Danmaku burst', slug } })).ok()).toBe(true);
  await owner.setViewportSize({ width: 1280, height: 760 });
  await openRoom(owner, slug);
  await owner.getByTestId('stream-source').fill(hls.urls.pattern!);
  await owner.getByTestId('stream-save').click();
  await owner.getByTestId('stream-status-live').click();
  await expectPlaying(owner);
  await owner.getByTestId('danmaku-settings-toggle').click();
  await owner.getByTestId('danmaku-density').selectOption('high');
  await owner.getByTestId('danmaku-area').selectOption('full');
  await owner.getByTestId('danmaku-settings-toggle').click();

  // 50 comments/s for 4 s from 12 senders, each under the per-user rate limit (20 per 30 s).
  const senders = await Promise.all(Array.from({ length: 12 }, async (_, i) => roomSocket(baseURL!, await sessionToken(baseURL!, `Burst ${i}`), slug)));
  const RATE = 50;
  const SECONDS = 4;
  // Frame deltas over `ms`, and how many feed rows already on screen React rendered again meanwhile. A
  // host element's props object (React keeps it on the node as `__reactProps$…`) is replaced exactly when
  // React renders that element again; a memoised row whose props did not change keeps its object.
  const frames = (ms: number) =>
    owner.evaluate((span) => new Promise<{ deltas: number[]; rerendered: number; added: number }>((resolve, reject) => {
      const deltas: number[] = [];
      const seen = new WeakMap<Element, unknown>();
      let key: string | undefined;
      let rerendered = 0;
      let added = 0;
      const rows = () => {
        for (const el of document.querySelectorAll('[data-testid="comment"]')) {
          key ??= Object.keys(el).find((k) => k.startsWith('__reactProps$'));
          if (!key) return reject(new Error('React no longer keeps __reactProps$ on DOM nodes: update this probe'));
          const props = (el as unknown as Record<string, unknown>)[key];
          if (!seen.has(el)) added++;
          else if (seen.get(el) !== props) rerendered++;
          seen.set(el, props);
        }
      };
      let last = performance.now();
      const end = last + span;
      const tick = (t: number) => {
        deltas.push(t - last);
        last = t;
        rows();
        if (t < end) requestAnimationFrame(tick);
        else resolve({ deltas: deltas.slice(1), rerendered, added });
      };
      rows();
      requestAnimationFrame(tick);
    }), ms);
  const summary = (raw: number[]) => {
    const d = [...raw].sort((a, b) => a - b);
    const pct = (p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))]!.toFixed(1);
    const mean = (d.reduce((a, b) => a + b, 0) / d.length).toFixed(1);
    return `${d.length} frames, mean ${mean} ms, p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms, max ${d.at(-1)!.toFixed(1)} ms, over 50 ms: ${d.filter((x) => x > 50).length}`;
  };
  try {
    // The same page, video playing, no comments: what the machine gives any frame right now (it is shared).
    const idle = summary((await frames(2_000)).deltas);
    const measuring = frames(SECONDS * 1000 + 500);
    const words = ['nice', 'wow', 'first!', 'this pattern is mesmerising', '666', 'hello from the burst', 'gg', 'lol that timecode', 'where is the sound?', '加油'];
    let n = 0;
    const started = Date.now();
    while (n < RATE * SECONDS) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      for (; n < Math.min(due, RATE * SECONDS); n++) {
        senders[n % senders.length]!.emit('say', { roomId: slug, content: `${words[n % words.length]} #${n}`, clientMsgId: `burst-${slug}-${n}` }, () => {});
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await owner.waitForTimeout(300);
    await shot(owner, 'stream-danmaku-burst');
    const measured = await measuring;
    const burst = summary(measured.deltas);
    const overlay = owner.getByTestId('danmaku');
    const shown = Number(await overlay.getAttribute('data-shown'));
    const dropped = Number(await overlay.getAttribute('data-dropped'));
    const report =
      `[danmaku] frame time, video playing — idle: ${idle}; at ${RATE} comments/s for ${SECONDS} s: ${burst}; ` +
      `overlay shown ${shown}, dropped ${dropped}, lanes ${await overlay.getAttribute('data-lanes')}; ` +
      `feed rows added ${measured.added}, rows already shown rendered again ${measured.rerendered}`;
    console.log(report);
    test.info().annotations.push({ type: 'danmaku frame time', description: report });
    // Not a timing assertion: only that the burst reached the overlay and the excess was dropped, not queued.
    expect(shown + dropped).toBeGreaterThan(RATE * SECONDS * 0.9);
    // The feed's rows are memoised: a burst renders the new rows and leaves the ones already shown alone.
    expect(measured.added).toBeGreaterThan(RATE * SECONDS * 0.9);
    expect(measured.rerendered).toBe(0);
  } finally {
    senders.forEach((s) => s.disconnect());
    await owner.context().close();
  }
});

test('an embed source is framed in a sandboxed iframe, with danmaku over it', async ({ browser }) => {
  const owner = await viewer(browser, 'Emma');
  const slug = `embed-${Date.now().toString(36)}`;
  expect((await owner.request.post('/api/rooms', { data: { title: 'Embedded stream', slug } })).ok()).toBe(true);
  await owner.setViewportSize({ width: 1280, height: 760 });
  await openRoom(owner, slug);
  await owner.getByTestId('stream-source').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await owner.getByTestId('stream-save').click();
  const frame = owner.getByTestId('player-embed');
  // The page URL became the player URL (the machine has no network: the frame itself stays blank).
  await expect(frame).toHaveAttribute('src', 'https://www.youtube.com/embed/dQw4w9WgXcQ');
  await expect(frame).toHaveAttribute('sandbox', 'allow-scripts allow-same-origin allow-presentation allow-popups');
  await owner.getByTestId('stream-status-live').click();
  await say(owner, 'flying over the embed');
  const item = owner.locator('.danmaku__item').filter({ hasText: 'flying over the embed' });
  await expect(item).toHaveCount(1);
  // The overlay lies over the iframe and lets clicks through to it.
  const [f, o] = [await frame.boundingBox(), await owner.getByTestId('danmaku').boundingBox()];
  expect(f && o && Math.abs(f.x - o.x) < 1 && Math.abs(f.width - o.width) < 1).toBe(true);
  expect(await owner.getByTestId('danmaku').evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
  await owner.waitForTimeout(1_000);
  await shot(owner, 'stream-embed-danmaku');
  await owner.context().close();
});
