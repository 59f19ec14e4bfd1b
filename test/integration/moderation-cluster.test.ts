import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, collect, collectRoom, createTempDatabase, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { flushProductKeys, requireService, TEST_REDIS_URL } from '../support/services.ts';
import { msgId, ownedRoom, staffToken } from '../support/moderation.ts';

/** Two instances sharing PostgreSQL and Redis: moderation decisions and stats must hold on both. */
const ready = (await requireService('postgresql')) && (await requireService('redis'));

describe.skipIf(!ready)('moderation and stats across two instances', () => {
  let a: TestServer;
  let b: TestServer;
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let redis: Redis;
  let room: string;
  let modToken: string;

  beforeAll(async () => {
    await flushProductKeys();
    db = await createTempDatabase();
    const env = { COMMENT_RATE_LIMIT: '3', COMMENT_RATE_WINDOW_SECONDS: '60' };
    a = await startTestServer({ database: { url: db.url }, redis: true, env });
    b = await startTestServer({ database: { url: db.url }, redis: true, env });
    redis = new Redis(TEST_REDIS_URL);
    room = await ownedRoom(a, (await a.guest('Owner')).user, `cluster-${Date.now().toString(36)}`);
    modToken = (await staffToken(a, 'cluster-mod', 'moderator')).token;
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await redis?.del(`PV:ROOM:${room}`);
    redis?.disconnect();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  async function joined(server: TestServer, token?: string) {
    const c = await server.client(token);
    const ack = await call(c.socket, 'join', { roomId: room });
    if (!ack.ok) throw new Error(ack.code);
    return c;
  }
  const say = (c: Awaited<ReturnType<typeof joined>>, content: string) => call(c.socket, 'say', { roomId: room, content, clientMsgId: msgId() });

  it('a ban on A is enforced on B as soon as A acks, and B\'s tabs are told', async () => {
    const user = await a.guest('Bram');
    const onB = await joined(b, user.token);
    const frames = collect(onB.socket, 'sanction');
    expect((await say(onB, 'before')).ok).toBe(true); // B has now cached "not sanctioned"
    const mod = await joined(a, modToken);
    expect((await call(mod.socket, 'mod:ban', { roomId: room, userId: user.user.id })).ok).toBe(true);
    const ack = await say(onB, 'after');
    expect(ack.ok ? 'ok' : ack.code).toBe('banned');
    await waitFor(() => frames.length > 0, 3_000, 'sanction on B');
    expect(frames[0]).toMatchObject({ roomId: room, kind: 'ban' });
    await call(mod.socket, 'mod:lift', { roomId: room, userId: user.user.id });
    expect((await say(onB, 'lifted')).ok).toBe(true);
  });

  it('a delete on A removes the comment for a viewer on B', async () => {
    const author = await a.guest('Dora');
    const c = await joined(a, author.token);
    const viewer = await joined(b);
    const deleted = collectRoom(viewer.socket, 'deleted');
    const sent = await say(c, 'to be removed');
    if (!sent.ok) throw new Error(sent.code);
    const mod = await joined(a, modToken);
    await call(mod.socket, 'mod:delete', { roomId: room, seqs: [sent.data.seq] });
    await waitFor(() => deleted.length > 0, 3_000, 'comments:deleted on B');
    expect(deleted[0]).toEqual({ type: 'deleted', roomId: room, seqs: [sent.data.seq] });
  });

  it('slow mode and blocked terms set on A hold on B at once', async () => {
    const user = await a.guest('Sol');
    const onA = await joined(a, user.token);
    const onB = await joined(b, user.token);
    const mod = await joined(a, modToken);
    expect((await say(onB, 'warm the cache')).ok).toBe(true);
    await call(mod.socket, 'mod:terms', { roomId: room, add: ['forbidden-word'] });
    const blocked = await say(onB, 'a forbidden-word');
    expect(blocked.ok ? 'ok' : blocked.code).toBe('blocked_term');
    await call(mod.socket, 'mod:settings', { roomId: room, slowModeSeconds: 60 });
    expect((await say(onA, 'first on A')).ok).toBe(true);
    const second = await say(onB, 'second on B');
    expect(second.ok ? 'ok' : second.code).toBe('slow_mode');
    await call(mod.socket, 'mod:settings', { roomId: room, slowModeSeconds: 0 });
    await call(mod.socket, 'mod:terms', { roomId: room, remove: ['forbidden-word'] });
  });

  it('stats from both instances add up: the seed\'s PV key, distinct counts, minute rollups', async () => {
    // Earlier tests' counters may still be pending in process: settle them first.
    await Promise.all([a.runtime.stats.flush(), b.runtime.stats.flush(), a.runtime.stats.rollup(), b.runtime.stats.rollup()]);
    const before = Number((await redis.hget(`PV:ROOM:${room}`, 'ROOM_TOTAL_PV')) ?? 0);
    const beforeRows = await a.runtime.db.prisma.roomStatsMinute.findMany({ where: { roomId: room } });
    const u1 = await a.guest('Una');
    const u2 = await a.guest('Ugo');
    const c1 = await joined(a, u1.token);
    const c2 = await joined(b, u2.token);
    await joined(b, u1.token);
    await say(c1, 'from A');
    await say(c2, 'from B');
    // Rate limit of 3 per minute on B (shared through Redis): the fourth is refused and counted.
    for (let i = 0; i < 3; i++) await say(c2, `burst ${i}`);
    await Promise.all([a.runtime.stats.flush(), b.runtime.stats.flush()]);
    expect(Number(await redis.hget(`PV:ROOM:${room}`, 'ROOM_TOTAL_PV'))).toBe(before + 3);
    const fromA = (await a.runtime.stats.read([room])).get(room);
    const fromB = (await b.runtime.stats.read([room])).get(room);
    // Counters live in Redis: both instances read the same numbers (presence has its own tests).
    const counters = (s: typeof fromA) => s && { ...s, online: undefined, peakOnline: undefined };
    expect(counters(fromA)).toEqual(counters(fromB));
    expect(fromA?.uniqueChatters).toBeGreaterThanOrEqual(3);
    expect(fromA?.rateLimitHits).toBe(1);
    await Promise.all([a.runtime.stats.rollup(), b.runtime.stats.rollup()]);
    const rows = await a.runtime.db.prisma.roomStatsMinute.findMany({ where: { roomId: room } });
    const sum = (rs: typeof rows, f: 'joins' | 'comments') => rs.reduce((s, r) => s + r[f], 0);
    expect(sum(rows, 'joins') - sum(beforeRows, 'joins')).toBe(3);
    expect(sum(rows, 'comments') - sum(beforeRows, 'comments')).toBe(4);
  });
});
