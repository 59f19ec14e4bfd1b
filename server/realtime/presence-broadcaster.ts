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

  constructor(
    private readonly store: PresenceStore,
    private readonly emit: (presence: Presence) => void,
    private readonly log: Logger,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  markDirty(roomId: string): void {
    this.dirty.add(roomId);
  }

  async current(roomId: string): Promise<Presence> {
    return { roomId, ...(await this.store.snapshot(roomId, LIMITS.onlineListMax)) };
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const rooms = [...this.dirty];
    this.dirty.clear();
    for (const roomId of rooms) {
      try {
        this.emit(await this.current(roomId));
      } catch (err) {
        this.log.warn({ err: (err as Error).message, roomId }, 'presence broadcast failed');
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
