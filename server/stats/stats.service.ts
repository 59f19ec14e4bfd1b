import type { Comment, PublicUser } from '../../shared/contract.ts';
import type { RoomStats, StatsPoint, TopChatter } from '../../shared/moderation.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import { addCounts, downsample, fillSeries, MINUTE_MS, minuteOf, noCounts, type MinuteCounts } from './stats-math.ts';
import type { MinuteDelta, StatsRepository } from './stats.repository.ts';
import { emptyDelta, type RoomDelta, type StatsStore } from './stats.store.ts';

export interface StatsServiceOptions {
  store: StatsStore;
  repo: StatsRepository;
  presence: PresenceStore;
  events: DomainEventBus;
  log: Logger;
  /** How often live counters go to the store. @default 1000 */
  flushMs?: number;
  /** How often minute rollups go to the database. @default 10000 */
  rollupMs?: number;
}

/**
 * Room statistics. Domain events only bump in-process counters (cheap on the hot path); a timer
 * applies them to the shared store every second and adds them to the database's minute rollups
 * every few seconds, so the charts survive restarts and every instance's share adds up.
 */
export class StatsService {
  private deltas = new Map<string, RoomDelta>();
  private minutes = new Map<string, MinuteCounts>();
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly o: Required<StatsServiceOptions>;

  constructor(opts: StatsServiceOptions) {
    this.o = { flushMs: 1_000, rollupMs: 10_000, ...opts };
    const ev = this.o.events;
    ev.on('join', (roomId, user) => this.onJoin(roomId, user));
    ev.on('comment', (c) => this.onComment(c));
    ev.on('rateLimited', (roomId) => {
      this.delta(roomId).rateLimited++;
      this.minute(roomId, Date.now()).rateLimited++;
    });
    ev.on('presence', (roomId, counts) => this.onPresence(roomId, counts.connections, Date.now()));
  }

  start(): void {
    const flush = setInterval(() => void this.flush(), this.o.flushMs);
    const rollup = setInterval(() => void this.rollup(), this.o.rollupMs);
    flush.unref();
    rollup.unref();
    this.timers.push(flush, rollup);
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    await this.flush();
    await this.rollup();
  }

  /** Called by moderation for every action it records. */
  recordModAction(roomId: string): void {
    this.delta(roomId).modActions++;
  }

  private delta(roomId: string): RoomDelta {
    let d = this.deltas.get(roomId);
    if (!d) this.deltas.set(roomId, (d = emptyDelta()));
    return d;
  }

  private minute(roomId: string, at: number): MinuteCounts {
    const key = `${roomId}\u0000${minuteOf(at)}`;
    let m = this.minutes.get(key);
    if (!m) this.minutes.set(key, (m = noCounts()));
    return m;
  }

  private onJoin(roomId: string, user: PublicUser | null): void {
    const d = this.delta(roomId);
    d.pageViews++;
    if (user) d.viewers.add(user.id);
    this.minute(roomId, Date.now()).joins++;
  }

  private onComment(c: Comment): void {
    const d = this.delta(c.roomId);
    const at = Date.parse(c.commentTime) || Date.now();
    d.comments++;
    // Counted in place: a new entry per comment was garbage on every comment of a busy room.
    const chatter = d.chatters.get(c.userId);
    if (chatter) {
      chatter.name = c.userName;
      chatter.count++;
    } else d.chatters.set(c.userId, { name: c.userName, count: 1 });
    const m = minuteOf(at);
    d.commentMinutes.set(m, (d.commentMinutes.get(m) ?? 0) + 1);
    this.minute(c.roomId, at).comments++;
  }

  private onPresence(roomId: string, connections: number, at: number): void {
    const d = this.delta(roomId);
    if (!d.peak || connections > d.peak.connections) d.peak = { connections, at };
    const m = this.minute(roomId, at);
    m.onlinePeak = Math.max(m.onlinePeak, connections);
  }

  /** Applies pending counters to the store; serialised so two flushes never interleave. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.deltas.size === 0) return;
      const batch = this.deltas;
      this.deltas = new Map();
      try {
        await this.o.store.apply(batch);
      } catch (err) {
        // Counters are best effort: a store outage loses at most this second's increments.
        this.o.log.warn({ err: (err as Error).message, rooms: batch.size }, 'stats flush failed');
      }
    });
    return this.flushing;
  }

  /** Adds this instance's minute counts to RoomStatsMinute, with who is online now as the minute's floor. */
  async rollup(): Promise<void> {
    try {
      // A quiet room sends no presence events: sample it so the online chart has no false zeros.
      const now = Date.now();
      const rooms = await this.o.presence.rooms();
      const counts = await this.o.presence.counts(rooms);
      for (const [roomId, c] of counts) if (c.connections > 0) this.onPresence(roomId, c.connections, now);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'stats presence sample failed');
    }
    if (this.minutes.size === 0) return;
    const batch = this.minutes;
    this.minutes = new Map();
    const rows: MinuteDelta[] = [...batch].map(([key, m]) => {
      const [roomId = '', minute = '0'] = key.split('\u0000');
      return { roomId, minute: new Date(Number(minute)), ...m };
    });
    try {
      await this.o.repo.addMinutes(rows);
    } catch (err) {
      // Put them back: the next rollup retries (increments are only applied on success).
      for (const [key, m] of batch) {
        const cur = this.minutes.get(key);
        this.minutes.set(key, cur ? addCounts(cur, m) : m);
      }
      this.o.log.warn({ err: (err as Error).message, rows: rows.length }, 'stats rollup failed; retrying');
    }
  }

  async read(roomIds: string[]): Promise<Map<string, RoomStats>> {
    const [stored, online] = await Promise.all([this.o.store.read(roomIds), this.o.presence.counts(roomIds)]);
    const out = new Map<string, RoomStats>();
    for (const roomId of roomIds) {
      const s = stored.get(roomId);
      const o = online.get(roomId) ?? { connections: 0, users: 0 };
      // The peak is at least what is online now (presence events reach the store a second later).
      const peak = s?.peak && s.peak.connections >= o.connections ? s.peak : o.connections > 0 ? { connections: o.connections, at: Date.now() } : s?.peak ?? null;
      out.set(roomId, {
        roomId,
        pageViews: s?.pageViews ?? 0,
        uniqueViewers: s?.uniqueViewers ?? 0,
        online: { connections: o.connections, users: o.users },
        peakOnline: { connections: peak?.connections ?? 0, at: peak ? new Date(peak.at).toISOString() : null },
        commentsTotal: s?.commentsTotal ?? 0,
        commentsPerMinute: s?.commentsPerMinute ?? 0,
        uniqueChatters: s?.uniqueChatters ?? 0,
        rateLimitHits: s?.rateLimitHits ?? 0,
        moderationActions: s?.moderationActions ?? 0,
      });
    }
    return out;
  }

  topChatters(roomId: string, limit = 10): Promise<TopChatter[]> {
    return this.o.store.topChatters(roomId, limit);
  }

  /** Minute points for the chart: the last hour one per minute, the last 24 h in 10-minute bars. */
  async series(roomId: string, range: '1h' | '24h'): Promise<StatsPoint[]> {
    const now = Date.now();
    const span = range === '1h' ? 60 : 24 * 60;
    const from = minuteOf(now) - (span - 1) * MINUTE_MS;
    const rows = fillSeries(await this.o.repo.minutes(roomId, new Date(from)), from, now);
    return downsample(rows, range === '1h' ? 1 : 10).map((r) => ({ ...r, minute: new Date(r.minute).toISOString() }));
  }
}
