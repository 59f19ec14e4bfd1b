import { LIMITS } from '../../shared/limits.ts';
import type { Presence } from '../../shared/contract.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { Logger } from '../logger.ts';

/**
 * Sends a room's presence at most once per interval however many joins and leaves happen in it, so a
 * join storm does not turn into a count frame per join per member.
 */
export class PresenceBroadcaster {
  private readonly dirty = new Set<string>();
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
    const rooms = [...this.dirty];
    this.dirty.clear();
    for (const roomId of rooms) {
      try {
        this.emit(await this.fresh(roomId));
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
  }
}
