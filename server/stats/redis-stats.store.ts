import type { Redis } from 'ioredis';
import type { TopChatter } from '../../shared/moderation.ts';
import { MINUTE_MS, minuteOf, slidingPerMinute } from './stats-math.ts';
import type { RoomDelta, StatsStore, StoredStats } from './stats.store.ts';

/** The seed's page-view counter, kept byte for byte so existing readers keep working. */
export const pageViewKey = (roomId: string) => `PV:ROOM:${roomId}`;
export const PAGE_VIEW_FIELD = 'ROOM_TOTAL_PV';

const k = {
  totals: (r: string) => `lr:stats:${r}`,
  viewers: (r: string) => `lr:stats:${r}:viewers`,
  chatters: (r: string) => `lr:stats:${r}:chatters`,
  top: (r: string) => `lr:stats:${r}:top`,
  names: (r: string) => `lr:stats:${r}:names`,
  minutes: (r: string) => `lr:stats:${r}:cpm`,
};

// Raises the stored peak only when the new one is higher; the first time a peak is reached keeps its time.
const RAISE_PEAK = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'peak') or '-1')
if tonumber(ARGV[1]) > cur then
  redis.call('HSET', KEYS[1], 'peak', ARGV[1], 'peakAt', ARGV[2])
end
return 0`;

/** Counters shared by every instance: hashes, HyperLogLogs for distinct counts, a sorted set for top chatters. */
export class RedisStatsStore implements StatsStore {
  readonly kind = 'redis' as const;

  constructor(private readonly redis: Redis) {}

  async apply(deltas: ReadonlyMap<string, RoomDelta>): Promise<void> {
    const p = this.redis.pipeline();
    for (const [roomId, d] of deltas) {
      const totals = k.totals(roomId);
      if (d.pageViews) p.hincrby(pageViewKey(roomId), PAGE_VIEW_FIELD, d.pageViews);
      if (d.viewers.size) p.pfadd(k.viewers(roomId), ...d.viewers);
      if (d.comments) p.hincrby(totals, 'comments', d.comments);
      if (d.chatters.size) {
        p.pfadd(k.chatters(roomId), ...d.chatters.keys());
        for (const [id, c] of d.chatters) {
          p.zincrby(k.top(roomId), c.count, id);
          p.hset(k.names(roomId), id, c.name);
        }
      }
      for (const [m, n] of d.commentMinutes) p.hincrby(k.minutes(roomId), String(m), n);
      if (d.commentMinutes.size) p.pexpire(k.minutes(roomId), 3 * MINUTE_MS);
      if (d.rateLimited) p.hincrby(totals, 'rateLimited', d.rateLimited);
      if (d.modActions) p.hincrby(totals, 'modActions', d.modActions);
      if (d.peak) p.eval(RAISE_PEAK, 1, totals, d.peak.connections, d.peak.at);
    }
    const results = await p.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async read(roomIds: string[], now = Date.now()): Promise<Map<string, StoredStats>> {
    const p = this.redis.pipeline();
    const current = minuteOf(now);
    for (const r of roomIds) {
      p.hget(pageViewKey(r), PAGE_VIEW_FIELD);
      p.pfcount(k.viewers(r));
      p.hmget(k.totals(r), 'comments', 'rateLimited', 'modActions', 'peak', 'peakAt');
      p.pfcount(k.chatters(r));
      p.hmget(k.minutes(r), String(current), String(current - MINUTE_MS));
    }
    const res = (await p.exec()) ?? [];
    const out = new Map<string, StoredStats>();
    roomIds.forEach((roomId, i) => {
      const at = (j: number) => {
        const [err, value] = res[i * 5 + j] ?? [null, null];
        if (err) throw err;
        return value;
      };
      const num = (v: unknown) => Number(v ?? 0) || 0;
      const totals = at(2) as (string | null)[];
      const mins = at(4) as (string | null)[];
      const buckets = new Map([
        [current, num(mins[0])],
        [current - MINUTE_MS, num(mins[1])],
      ]);
      out.set(roomId, {
        pageViews: num(at(0)),
        uniqueViewers: num(at(1)),
        commentsTotal: num(totals[0]),
        rateLimitHits: num(totals[1]),
        moderationActions: num(totals[2]),
        peak: totals[3] ? { connections: num(totals[3]), at: num(totals[4]) } : null,
        uniqueChatters: num(at(3)),
        commentsPerMinute: slidingPerMinute(buckets, now),
      });
    });
    return out;
  }

  async topChatters(roomId: string, limit: number): Promise<TopChatter[]> {
    const flat = await this.redis.zrevrange(k.top(roomId), 0, limit - 1, 'WITHSCORES');
    const ids: string[] = [];
    const counts: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i] ?? '');
      counts.push(Number(flat[i + 1] ?? 0));
    }
    const names = ids.length ? await this.redis.hmget(k.names(roomId), ...ids) : [];
    return ids.map((userId, i) => ({ userId, name: names[i] ?? userId, comments: counts[i] ?? 0 }));
  }
}
