import type { Redis } from 'ioredis';

/**
 * Who was in a room within the last `windowMs` (joined, or left less than that ago), so that a reload,
 * a reconnect, a second tab or a restarted instance does not announce the same person again. Shared
 * through Redis when configured (an instance that restarts forgets nothing), else per instance.
 */
export interface RecentPresence {
  /** Records that the user is in the room now; true if they already were within the window. */
  arrive(roomId: string, userId: string): Promise<boolean>;
  /** Records that the user left the room now (the window runs from here). */
  leave(roomId: string, userId: string): Promise<void>;
}

export const RECENT_PRESENCE_MS = 60_000;

export class MemoryRecentPresence implements RecentPresence {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly windowMs = RECENT_PRESENCE_MS,
    private readonly maxEntries = 100_000,
  ) {}

  async arrive(roomId: string, userId: string): Promise<boolean> {
    const key = `${roomId}\u0000${userId}`;
    const seen = (this.until.get(key) ?? 0) > Date.now();
    this.touch(key);
    return seen;
  }

  async leave(roomId: string, userId: string): Promise<void> {
    this.touch(`${roomId}\u0000${userId}`);
  }

  private touch(key: string): void {
    if (this.until.size >= this.maxEntries) this.prune();
    this.until.delete(key); // re-inserted last: the map stays in expiry order for prune()
    this.until.set(key, Date.now() + this.windowMs);
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, until] of this.until) {
      if (until > now && this.until.size < this.maxEntries) break;
      this.until.delete(key);
    }
  }
}

export class RedisRecentPresence implements RecentPresence {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs = RECENT_PRESENCE_MS,
  ) {}

  async arrive(roomId: string, userId: string): Promise<boolean> {
    // SET … GET: one round trip records the arrival and says whether a record was already there.
    const previous = await this.redis.set(this.key(roomId, userId), '1', 'PX', this.windowMs, 'GET');
    return previous !== null;
  }

  async leave(roomId: string, userId: string): Promise<void> {
    await this.redis.set(this.key(roomId, userId), '1', 'PX', this.windowMs);
  }

  private key(roomId: string, userId: string): string {
    return `${this.prefix}:recent:${roomId}:${userId}`;
  }
}
