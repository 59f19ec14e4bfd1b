import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';
import { commentTexts, openRoom, viewer } from './support/helpers';

/**
 * A burst: 15 comments (within the default rate limit of 20 per 30 s) sent at once by another client, so the server coalesces them into a few room
 * frames (protocol 2). The viewer's feed must show each exactly once, in the order they were stored.
 */
test('a burst of comments arrives batched, once each, in stored order', async ({ browser, baseURL }) => {
  const watcher = await viewer(browser, 'Wren');
  const sender = await viewer(browser, 'Sid');
  await openRoom(watcher, 'main-stage');
  const token = (await sender.context().cookies()).find((c) => c.name === 'lr_session')?.value;
  expect(token).toBeTruthy();

  const socket = io(baseURL!, { transports: ['websocket'], auth: { token } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('init', () => resolve());
      socket.once('connect_error', reject);
    });
    const join = await socket.timeout(10_000).emitWithAck('join', { roomId: 'main-stage' });
    expect(join.ok).toBe(true);
    const tag = Date.now().toString(36);
    const acks = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        socket.timeout(10_000).emitWithAck('say', { roomId: 'main-stage', content: `burst ${tag} #${i}`, clientMsgId: `e2e-${tag}-${i}` }),
      ),
    );
    expect(acks.map((a: { ok: boolean; code?: string }) => a.code ?? 'ok')).toEqual(Array(15).fill('ok'));
    const stored = acks
      .map((a: { ok: boolean; data: { seq: number; content: string } }) => a.data)
      .sort((a, b) => a.seq - b.seq)
      .map((c) => c.content);

    await expect(watcher.getByTestId('comment').filter({ hasText: `burst ${tag} #` })).toHaveCount(15);
    const shown = (await commentTexts(watcher)).filter((t) => t.startsWith(`burst ${tag} #`));
    expect(shown).toEqual(stored);
  } finally {
    socket.disconnect();
    await watcher.context().close();
    await sender.context().close();
  }
});
