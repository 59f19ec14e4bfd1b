import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.ts';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
let token: string;
const ROOM = 'main-stage';

beforeAll(async () => {
  server = await startTestServer({ env: { COMMENT_RATE_LIMIT: '5', COMMENT_RATE_WINDOW_SECONDS: '30' } });
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

let n = 0;
const id = () => `cid-${Date.now()}-${n++}`;

async function joined(name = `User${n++}`) {
  const g = await server.guest(name);
  token = g.token;
  const c = await server.client(g.token);
  const ack = await call(c.socket, 'join', { roomId: ROOM });
  expect(ack.ok).toBe(true);
  return { ...c, user: g.user };
}

async function rowCount(): Promise<number> {
  return server.runtime.db.prisma.message.count({ where: { roomId: ROOM } });
}

describe('comment validation (each: coded ack, connection survives, nothing stored)', () => {
  const cases: [string, unknown, string][] = [
    ['empty', { roomId: ROOM, content: '', clientMsgId: 'x'.repeat(10) }, 'empty_comment'],
    ['whitespace only', { roomId: ROOM, content: ' \n\t  ', clientMsgId: 'y'.repeat(10) }, 'empty_comment'],
    ['control characters only', { roomId: ROOM, content: '\u0000\u0007\u001b', clientMsgId: 'z'.repeat(10) }, 'empty_comment'],
    ['over 500 characters', { roomId: ROOM, content: 'a'.repeat(LIMITS.commentMaxChars + 1), clientMsgId: 'w'.repeat(10) }, 'comment_too_long'],
    ['unknown room', { roomId: 'no-such-room', content: 'hi', clientMsgId: 'v'.repeat(10) }, 'unknown_room'],
    ['wrong type', { roomId: ROOM, content: 42, clientMsgId: 'u'.repeat(10) }, 'invalid_payload'],
    ['missing field', { roomId: ROOM, content: 'hi' }, 'invalid_payload'],
    ['extra field', { roomId: ROOM, content: 'hi', clientMsgId: 't'.repeat(10), userName: 'admin' }, 'invalid_payload'],
    ['not an object', 'say hi', 'invalid_payload'],
    ['frame over the size cap', { roomId: ROOM, content: 'a'.repeat(LIMITS.eventMaxBytes + 10), clientMsgId: 's'.repeat(10) }, 'payload_too_large'],
  ];
  for (const [name, payload, code] of cases) {
    it(`rejects ${name} with ${code}`, async () => {
      const c = await joined();
      const before = await rowCount();
      const ack = await call(c.socket, 'say', payload);
      expect(ack).toMatchObject({ ok: false, code });
      expect(ack.ok ? '' : ack.message.length).toBeGreaterThan(0);
      expect(await rowCount()).toBe(before);
      // The connection survives and still works.
      const ok = await call(c.socket, 'say', { roomId: ROOM, content: 'still here', clientMsgId: id() });
      expect(ok.ok).toBe(true);
    });
  }

  it('rejects commenting without an identity', async () => {
    const c = await server.client();
    await call(c.socket, 'join', { roomId: ROOM });
    const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'hi', clientMsgId: id() });
    expect(ack).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('rejects a forged session token as anonymous', async () => {
    const c = await server.client(token.slice(0, -3) + 'abc');
    expect(c.init.user).toBeNull();
  });

  it('strips control characters and stores HTML as plain text', async () => {
    const c = await joined();
    const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'a\u0000b<script>alert(1)</script>\u202e', clientMsgId: id() });
    expect(ack.ok && ack.data.content).toBe('ab<script>alert(1)</script>');
  });

  it('rate-limits with a retry-after and stores nothing over the limit', async () => {
    const c = await joined();
    for (let i = 0; i < 5; i++) expect((await call(c.socket, 'say', { roomId: ROOM, content: `r${i}`, clientMsgId: id() })).ok).toBe(true);
    const before = await rowCount();
    const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'one too many', clientMsgId: id() });
    expect(ack).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(ack.ok ? 0 : ack.retryAfterMs).toBeGreaterThan(0);
    expect(await rowCount()).toBe(before);
  });

  it('acks a retry of an already stored comment even when the limit is reached', async () => {
    const c = await joined();
    const ids = Array.from({ length: 5 }, () => id());
    const acks = [];
    for (const clientMsgId of ids) acks.push(await call(c.socket, 'say', { roomId: ROOM, content: 'counted', clientMsgId }));
    const last = acks.at(-1)!;
    expect(last.ok).toBe(true);
    // The ack of the fifth was "lost": its retry comes back with the stored comment, not rate_limited.
    const retry = await call(c.socket, 'say', { roomId: ROOM, content: 'counted', clientMsgId: ids.at(-1)! });
    expect(retry.ok && last.ok && retry.data.seq === last.data.seq).toBe(true);
    expect(await call(c.socket, 'say', { roomId: ROOM, content: 'new one', clientMsgId: id() })).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(await server.runtime.db.prisma.message.count({ where: { clientMsgId: ids.at(-1)! } })).toBe(1);
  });

  it('requires joining the room before commenting', async () => {
    const g = await server.guest('Lurker');
    const c = await server.client(g.token);
    const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'hi', clientMsgId: id() });
    expect(ack).toMatchObject({ ok: false, code: 'not_joined' });
  });
});

describe('storage guarantees', () => {
  it('acks only after the row exists, with a database-assigned seq', async () => {
    const c = await joined();
    const clientMsgId = id();
    const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'persisted?', clientMsgId });
    expect(ack.ok).toBe(true);
    const row = await server.runtime.db.prisma.message.findFirst({ where: { roomId: ROOM, clientMsgId } });
    expect(row).not.toBeNull();
    expect(ack.ok && ack.data.seq).toBe(row!.seq);
  });

  it('makes a retried send idempotent: stored once, same ack', async () => {
    const c = await joined();
    const other = await server.client();
    await call(other.socket, 'join', { roomId: ROOM });
    const seen = collectRoom(other.socket, 'say');
    const payload = { roomId: ROOM, content: 'only once', clientMsgId: id() };
    let counted = 0;
    const count = (c: { clientMsgId: string }) => void (c.clientMsgId === payload.clientMsgId && counted++);
    server.runtime.events.on('comment', count);
    const [a, b] = await Promise.all([call(c.socket, 'say', payload), call(c.socket, 'say', payload)]);
    const third = await call(c.socket, 'say', payload);
    expect(a.ok && b.ok && third.ok).toBe(true);
    if (a.ok && b.ok && third.ok) {
      expect(b.data.seq).toBe(a.data.seq);
      expect(third.data.id).toBe(a.data.id);
    }
    expect(await server.runtime.db.prisma.message.count({ where: { clientMsgId: payload.clientMsgId } })).toBe(1);
    server.runtime.events.off('comment', count);
    expect(counted).toBe(1); // stats count the comment once, however often it is retried
    // The room gets it once too: a retry is acked to its sender only, not broadcast again.
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((x) => x.clientMsgId === payload.clientMsgId)).toHaveLength(1);
  });

  it('assigns gap-free, unique sequence numbers under concurrent writers', async () => {
    const writers = await Promise.all([joined(), joined(), joined()]);
    const acks = await Promise.all(
      writers.flatMap((w) => [0, 1, 2, 3].map((i) => call(w.socket, 'say', { roomId: ROOM, content: `c${i}`, clientMsgId: id() }))),
    );
    const seqs = acks.map((a) => (a.ok ? a.data.seq : -1)).sort((x, y) => x - y);
    expect(seqs.every((s) => s > 0)).toBe(true);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    const all = await server.runtime.db.prisma.message.findMany({ where: { roomId: ROOM }, orderBy: { seq: 'asc' }, select: { seq: true } });
    all.forEach((r, i) => expect(r.seq).toBe(i + 1));
  });

  it('answers a database failure with an error ack, no broadcast, and a retry succeeds', async () => {
    const c = await joined();
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: ROOM });
    const seen = collectRoom(watcher.socket, 'say');
    const repo = server.runtime.messages.repository;
    const original = repo.insertBatch;
    repo.insertBatch = async () => {
      throw new Error('simulated outage');
    };
    const payload = { roomId: ROOM, content: 'during outage', clientMsgId: id() };
    try {
      expect(await call(c.socket, 'say', payload)).toMatchObject({ ok: false, code: 'unavailable' });
    } finally {
      repo.insertBatch = original;
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.find((s) => s.clientMsgId === payload.clientMsgId)).toBeUndefined();
    const retry = await call(c.socket, 'say', payload);
    expect(retry.ok).toBe(true);
    await waitFor(() => seen.some((s) => s.clientMsgId === payload.clientMsgId), 3_000, 'broadcast after retry');
  });

  it('answers unavailable with a retry time, not internal, when the database cannot be reached', async () => {
    const c = await joined();
    const repo = server.runtime.rooms.repository;
    const original = repo.findById;
    repo.findById = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    };
    server.runtime.rooms.cache.invalidate(ROOM); // the room must be read again, as after the cache's TTL
    try {
      const ack = await call(c.socket, 'say', { roomId: ROOM, content: 'during the outage', clientMsgId: id() });
      expect(ack).toMatchObject({ ok: false, code: 'unavailable' });
      expect(ack.ok ? 0 : ack.retryAfterMs).toBeGreaterThan(0);
    } finally {
      repo.findById = original;
      server.runtime.rooms.cache.invalidate(ROOM);
    }
    expect((await call(c.socket, 'say', { roomId: ROOM, content: 'after the outage', clientMsgId: id() })).ok).toBe(true);
  });
});
