import { LIMITS } from '../../shared/limits.ts';
import type { Presence } from '../../shared/contract.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { Logger } from '../logger.ts';

/** Rooms up to this many connections get their presence every interval; larger ones less often. */
export const PRESENCE_FULL_RATE_CONNECTIONS = 100;
/** The longest a big room's presence waits (its count stays within two seconds). */
export const PRESENCE_MAX_GAP_MS = 2_000;

/**
 * The least time between two presence frames of a room of `connections`: one interval up to
 * PRESENCE_FULL_RATE_CONNECTIONS, then one more interval per hundred connections, up to
 * PRESENCE_MAX_GAP_MS. A presence frame carries up to 100 names to every member, so its cost grows with
 * the room; in a big room the list changes all the time and a refresh four times a second is nothing
 * its viewers can see (filling rooms of 500: join phase 1.4 s → 0.84 s with a 1 s gap, bench/README.md).
 */
export function presenceGapMs(connections: number, intervalMs: number): number {
  if (connections <= PRESENCE_FULL_RATE_CONNECTIONS) return intervalMs;
  return Math.min(PRESENCE_MAX_GAP_MS, intervalMs * Math.ceil(connections / PRESENCE_FULL_RATE_CONNECTIONS));
}

/**
 * Sends a room's presence at most once per interval however many joins and leaves happen in it (less
 * often in big rooms, see presenceGapMs), so a join storm does not turn into a count frame per join per
 * member.
 */
export class PresenceBroadcaster {
  private readonly dirty = new Set<string>();
  /** When each room's last presence frame went out, and its size then. */
  private readonly sent = new Map<string, { at: number; connections: number }>();
  private readonly timer: NodeJS.Timeout;
  /**
   * The last snapshot per room, reused by joins for one interval. A snapshot sorts the room's whole
   * presence; computed on every join, filling a room of N cost O(N² log N) (a 5,000-viewer room took
   * tens of seconds). A join's ack may thus miss the last interval's arrivals; the next presence frame,
   * at most one interval later, has them.
   */
  private readonly recent = new Map<string, { at: number; presence: Promise<Presence> }>();

  constructor(
    private readonly store: PresenceStore,
    private readonly emit: (presence: Presence) => void,
    private readonly log: Logger,
    private readonly intervalMs = 250,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  markDirty(roomId: string): void {
    this.dirty.add(roomId);
  }

  /** The room's presence, at most one interval old. */
  current(roomId: string): Promise<Presence> {
    const hit = this.recent.get(roomId);
    if (hit && performance.now() - hit.at < this.intervalMs) return hit.presence;
    return this.fresh(roomId);
  }

  private fresh(roomId: string): Promise<Presence> {
    const presence = this.store.snapshot(roomId, LIMITS.onlineListMax).then((snap) => ({ roomId, ...snap }));
    this.recent.set(roomId, { at: performance.now(), presence });
    presence.catch(() => {
      if (this.recent.get(roomId)?.presence === presence) this.recent.delete(roomId);
    });
    return presence;
  }

  private async flush(): Promise<void> {
    this.forgetOld();
    if (this.dirty.size === 0) return;
    const now = performance.now();
    const rooms: string[] = [];
    for (const roomId of this.dirty) {
      const last = this.sent.get(roomId);
      // A big room stays dirty until its gap has passed (the tick's jitter is allowed for).
      if (last && now - last.at < presenceGapMs(last.connections, this.intervalMs) - this.intervalMs / 2) continue;
      rooms.push(roomId);
    }
    for (const roomId of rooms) this.dirty.delete(roomId);
    for (const roomId of rooms) {
      try {
        const presence = await this.fresh(roomId);
        this.emit(presence);
        if (presence.connections > 0) this.sent.set(roomId, { at: performance.now(), connections: presence.connections });
        else this.sent.delete(roomId);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, roomId }, 'presence broadcast failed');
      }
    }
  }

  private forgetOld(): void {
    const cutoff = performance.now() - this.intervalMs;
    for (const [roomId, { at }] of this.recent) if (at < cutoff) this.recent.delete(roomId);
  }

  close(): void {
    clearInterval(this.timer);
    this.recent.clear();
    this.sent.clear();
  }
}
