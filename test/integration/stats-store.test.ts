import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStatsStore } from '../../server/stats/redis-stats.store.ts';
import { MINUTE_MS, minuteOf } from '../../server/stats/stats-math.ts';
import { emptyDelta, MemoryStatsStore, type RoomDelta, type StatsStore } from '../../server/stats/stats.store.ts';
import { requireService, TEST_REDIS_URL } from '../support/services.ts';

/** One contract, two backends: the in-process store and the Redis one must count alike. */
const redisUp = await requireService('redis');
const redis = redisUp ? new Redis(TEST_REDIS_URL) : undefined;
const rooms: string[] = [];
afterAll(async () => {
  if (redis) {
    for (const r of rooms) await redis.del(`PV:ROOM:${r}`);
    redis.disconnect();
  }
});

function delta(patch: Partial<RoomDelta>): RoomDelta {
  return { ...emptyDelta(), ...patch };
}

const backends: [string, () => Promise<StatsStore>][] = [
  ['memory', async () => new MemoryStatsStore()],
  ...(redis ? [['redis', async () => new RedisStatsStore(redis)] as [string, () => Promise<StatsStore>]] : []),
];

describe.each(backends)('stats store contract: %s', (_name, make) => {
  it('adds up deltas, counts distinct viewers and chatters, keeps the highest peak', async () => {
    const store = await make();
    const room = `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    rooms.push(room);
    const now = minuteOf(Date.now()) + 30_000;
    const m = minuteOf(now);
    await store.apply(new Map([[room, delta({
      pageViews: 3,
      viewers: new Set(['u1', 'u2']),
      comments: 4,
      chatters: new Map([['u1', { name: 'Una', count: 3 }], ['u2', { name: 'Ugo', count: 1 }]]),
      commentMinutes: new Map([[m - MINUTE_MS, 2], [m, 2]]),
      rateLimited: 1,
      peak: { connections: 5, at: 1000 },
    })]]));
    await store.apply(new Map([[room, delta({
      pageViews: 2,
      viewers: new Set(['u2', 'u3']),
      comments: 2,
      chatters: new Map([['u3', { name: 'Ivo', count: 2 }]]),
      commentMinutes: new Map([[m, 2]]),
      modActions: 2,
      peak: { connections: 4, at: 2000 },
    })]]));
    const stats = (await store.read([room, 'never-seen'], now)).get(room);
    expect(stats).toEqual({
      pageViews: 5,
      uniqueViewers: 3,
      commentsTotal: 6,
      commentsPerMinute: 5, // 4 this minute + half of the previous minute's 2
      uniqueChatters: 3,
      rateLimitHits: 1,
      moderationActions: 2,
      peak: { connections: 5, at: 1000 },
    });
    expect((await store.read(['never-seen'], now)).get('never-seen')).toMatchObject({ pageViews: 0, commentsTotal: 0, peak: null });
    expect(await store.topChatters(room, 2)).toEqual([
      { userId: 'u1', name: 'Una', comments: 3 },
      { userId: 'u3', name: 'Ivo', comments: 2 },
    ]);
  });
});

describe.skipIf(!redis)('redis stats store', () => {
  it('writes page views to the seed\'s key and field', async () => {
    const store = new RedisStatsStore(redis!);
    const room = `seedpv-${Date.now().toString(36)}`;
    rooms.push(room);
    await store.apply(new Map([[room, delta({ pageViews: 2 })]]));
    await store.apply(new Map([[room, delta({ pageViews: 1 })]]));
    expect(await redis!.hget(`PV:ROOM:${room}`, 'ROOM_TOTAL_PV')).toBe('3');
  });
});
