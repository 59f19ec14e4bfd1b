import type { TopChatter } from '../../shared/moderation.ts';
import { higherPeak, minuteOf, MINUTE_MS, slidingPerMinute } from './stats-math.ts';

/** What happened in one room since the last flush (accumulated in process, applied in one go). */
export interface RoomDelta {
  pageViews: number;
  viewers: Set<string>;
  comments: number;
  /** userId → name and comments written. */
  chatters: Map<string, { name: string; count: number }>;
  /** Minute start (ms) → comments. */
  commentMinutes: Map<number, number>;
  rateLimited: number;
  modActions: number;
  peak: { connections: number; at: number } | null;
}

export function emptyDelta(): RoomDelta {
  return { pageViews: 0, viewers: new Set(), comments: 0, chatters: new Map(), commentMinutes: new Map(), rateLimited: 0, modActions: 0, peak: null };
}

/** Totals as stored (presence comes from the presence store, not from here). */
export interface StoredStats {
  pageViews: number;
  uniqueViewers: number;
  commentsTotal: number;
  commentsPerMinute: number;
  uniqueChatters: number;
  rateLimitHits: number;
  moderationActions: number;
  peak: { connections: number; at: number } | null;
}

/**
 * Live room counters. In-process for one instance; Redis (the seed's PV:ROOM key included) when
 * instances must add up. One contract suite runs against both (test/integration/stats-store.test.ts).
 */
export interface StatsStore {
  readonly kind: 'memory' | 'redis';
  apply(deltas: ReadonlyMap<string, RoomDelta>): Promise<void>;
  read(roomIds: string[], now?: number): Promise<Map<string, StoredStats>>;
  topChatters(roomId: string, limit: number): Promise<TopChatter[]>;
}

/** The in-process store keeps each room's running totals in the same shape as a delta. */
type MemoryRoom = RoomDelta;

export class MemoryStatsStore implements StatsStore {
  readonly kind = 'memory' as const;
  private readonly rooms = new Map<string, MemoryRoom>();

  async apply(deltas: ReadonlyMap<string, RoomDelta>): Promise<void> {
    for (const [roomId, d] of deltas) {
      let r = this.rooms.get(roomId);
      if (!r) {
        r = { pageViews: 0, viewers: new Set(), comments: 0, chatters: new Map(), commentMinutes: new Map(), rateLimited: 0, modActions: 0, peak: null };
        this.rooms.set(roomId, r);
      }
      r.pageViews += d.pageViews;
      d.viewers.forEach((v) => r.viewers.add(v));
      r.comments += d.comments;
      for (const [id, c] of d.chatters) {
        const prev = r.chatters.get(id);
        r.chatters.set(id, { name: c.name, count: (prev?.count ?? 0) + c.count });
      }
      for (const [m, n] of d.commentMinutes) r.commentMinutes.set(m, (r.commentMinutes.get(m) ?? 0) + n);
      // Only the last two minutes feed the rate.
      const keepFrom = minuteOf(Date.now()) - 2 * MINUTE_MS;
      for (const m of r.commentMinutes.keys()) if (m < keepFrom) r.commentMinutes.delete(m);
      r.rateLimited += d.rateLimited;
      r.modActions += d.modActions;
      r.peak = higherPeak(r.peak, d.peak);
    }
  }

  async read(roomIds: string[], now = Date.now()): Promise<Map<string, StoredStats>> {
    const out = new Map<string, StoredStats>();
    for (const id of roomIds) {
      const r = this.rooms.get(id);
      out.set(id, {
        pageViews: r?.pageViews ?? 0,
        uniqueViewers: r?.viewers.size ?? 0,
        commentsTotal: r?.comments ?? 0,
        commentsPerMinute: r ? slidingPerMinute(r.commentMinutes, now) : 0,
        uniqueChatters: r?.chatters.size ?? 0,
        rateLimitHits: r?.rateLimited ?? 0,
        moderationActions: r?.modActions ?? 0,
        peak: r?.peak ?? null,
      });
    }
    return out;
  }

  async topChatters(roomId: string, limit: number): Promise<TopChatter[]> {
    const r = this.rooms.get(roomId);
    if (!r) return [];
    return [...r.chatters.entries()]
      .map(([userId, c]) => ({ userId, name: c.name, comments: c.count }))
      .sort((a, b) => b.comments - a.comments || a.name.localeCompare(b.name))
      .slice(0, limit);
  }
}
