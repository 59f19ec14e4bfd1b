import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Comment } from '../../shared/contract.ts';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
const ROOM = 'main-stage';
let n = 0;
const id = () => `cid-reply-${Date.now()}-${n++}`;

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

async function joined(name: string) {
  const g = await server.guest(name);
  const c = await server.client(g.token);
  expect((await call(c.socket, 'join', { roomId: ROOM })).ok).toBe(true);
  return c;
}

async function say(c: Awaited<ReturnType<typeof joined>>, content: string, replyTo?: number): Promise<Comment> {
  const ack = await call(c.socket, 'say', { roomId: ROOM, content, clientMsgId: id(), ...(replyTo === undefined ? {} : { replyTo }) });
  if (!ack.ok) throw new Error(ack.message);
  return ack.data;
}

describe('replies and mentions (protocol 3)', () => {
  it('stores a reply, broadcasts it with replyTo and mentions, and returns it from history and join', async () => {
    const ann = await joined('Ann');
    const bo = await joined('Bo');
    const seen = collectRoom(ann.socket, 'say');
    const original = await say(ann, 'who is streaming tonight?');
    const reply = await say(bo, '@Ann me, at nine', original.seq);
    expect(reply).toMatchObject({ replyTo: original.seq, mentions: ['ann'] });
    await waitFor(() => seen.some((c) => c.seq === reply.seq), 5_000, 'the reply broadcast');
    expect(seen.find((c) => c.seq === reply.seq)).toMatchObject({ replyTo: original.seq, mentions: ['ann'] });

    const row = await server.runtime.db.prisma.message.findFirstOrThrow({ where: { roomId: ROOM, seq: reply.seq } });
    expect(row.replyToSeq).toBe(original.seq);
    const page = await call(ann.socket, 'history', { roomId: ROOM, afterSeq: original.seq - 1, limit: 5 });
    expect(page.ok && page.data.messages.map((m) => [m.seq, m.replyTo])).toEqual([[original.seq, null], [reply.seq, original.seq]]);
  });

  it('keeps a reply whose original was deleted, and the original stays out of history', async () => {
    const ann = await joined('Ann');
    const original = await say(ann, 'this will be removed');
    const reply = await say(ann, 'answering it', original.seq);
    await server.runtime.db.prisma.message.updateMany({ where: { roomId: ROOM, seq: original.seq }, data: { deletedAt: new Date() } });
    const page = await call(ann.socket, 'history', { roomId: ROOM, afterSeq: original.seq - 1, limit: 1 });
    expect(page.ok && page.data.messages[0]).toMatchObject({ seq: reply.seq, replyTo: original.seq });
  });

  it('drops a replyTo that does not point back (stored as no reply)', async () => {
    const ann = await joined('Ann');
    const c = await say(ann, 'reply to the future', 2 ** 31 - 1);
    expect(c.replyTo).toBeNull();
  });

  it.each([0, -1, 1.5, '3'])('refuses replyTo %j with invalid_payload', async (replyTo) => {
    const ann = await joined('Ann');
    const ack = await call(ann.socket, 'say', { roomId: ROOM, content: 'x', clientMsgId: id(), replyTo });
    expect(ack).toMatchObject({ ok: false, code: 'invalid_payload' });
  });
});
