import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, startTestServer, type TestServer } from '../support/server.ts';
import { msgId, ownedRoom, staffToken } from '../support/moderation.ts';

let server: TestServer;
let room: string;
let reads = { before: 0, after: 0 };

beforeAll(async () => {
  server = await startTestServer();
  const owner = await server.guest('Owner');
  room = await ownedRoom(server, owner.user, 'cached-room');
  // Count the repository's history reads (the latest-page cache calls through this object).
  const repo = server.runtime.messages.repository;
  const { before, after } = repo;
  repo.before = (...args) => (reads.before++, before(...args));
  repo.after = (...args) => (reads.after++, after(...args));
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

async function join(lastSeq?: number) {
  const c = await server.client();
  const ack = await call(c.socket, 'join', { roomId: room, ...(lastSeq === undefined ? {} : { lastSeq }) });
  if (!ack.ok) throw new Error(ack.code);
  return ack.data;
}

describe('joins served from the latest-page cache (one instance)', () => {
  it('reads the database once for many joins, includes new comments, and reloads after a deletion', async () => {
    const author = await server.guest('Writer');
    const w = await server.client(author.token);
    await call(w.socket, 'join', { roomId: room });
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = await call(w.socket, 'say', { roomId: room, content: `cached ${i}`, clientMsgId: msgId('c') });
      if (ack.ok) seqs.push(ack.data.seq);
    }
    reads = { before: 0, after: 0 };
    for (let i = 0; i < 5; i++) expect((await join()).messages.map((m) => m.seq)).toEqual(seqs);
    expect(reads.before).toBe(0); // filled by the writer's own join and kept current by its writes

    const fresh = await call(w.socket, 'say', { roomId: room, content: 'fresh', clientMsgId: msgId('c') });
    if (!fresh.ok) throw new Error(fresh.code);
    expect((await join()).messages.map((m) => m.content).at(-1)).toBe('fresh');
    // A re-join replays from memory too.
    expect((await join(seqs[0])).messages.map((m) => m.seq)).toEqual([...seqs.slice(1), fresh.data.seq]);
    expect(reads).toEqual({ before: 0, after: 0 });

    const mod = await staffToken(server, 'cache-mod', 'moderator');
    const m = await server.client(mod.token);
    await call(m.socket, 'join', { roomId: room });
    expect((await call(m.socket, 'mod:delete', { roomId: room, seqs: [fresh.data.seq] })).ok).toBe(true);
    const after = await join();
    expect(after.messages.map((x) => x.seq)).toEqual(seqs);
    expect(reads.before).toBe(1); // the deletion emptied the cache: one read refills it
  });
});
