/**
 * Short-lived per-instance caches of state read on every join and comment (rooms, sanctions,
 * appointments, blocked terms). The truth is in the database; a change is pushed to every instance at
 * once (mod:invalidate, awaited before the moderator's ack) and the TTL bounds staleness if a push is lost.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  /** Loads in flight: concurrent misses on one key (a join storm) share one load. */
  private readonly pending = new Map<string, Promise<V>>();
  /**
   * Bumped by every invalidation. A load that began before one may have read the old decision, so its
   * result answers the callers already waiting on it but is not cached (invalidations are rare; the
   * next read reloads). An invalidation also detaches that load, so later callers start a fresh one.
   */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() < hit.expiresAt) return Promise.resolve(hit.value);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const filling = this.fill(key, load).finally(() => {
      if (this.pending.get(key) === filling) this.pending.delete(key);
    });
    this.pending.set(key, filling);
    return filling;
  }

  /**
   * The cached value if it is fresh, without loading: undefined otherwise (then ask `get`). Lets a hot
   * path answer synchronously in the common case instead of allocating a promise per lookup.
   */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    return hit && Date.now() < hit.expiresAt ? hit.value : undefined;
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.pending.delete(key);
  }

  /** Drops every key starting with `prefix` (all users of a room, say). */
  deletePrefix(prefix: string): void {
    this.generation++;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of this.pending.keys()) if (key.startsWith(prefix)) this.pending.delete(key);
  }

  private async fill(key: string, load: () => Promise<V>): Promise<V> {
    const startedAt = this.generation;
    const value = await load();
    if (startedAt !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(key, { value, expiresAt: Date.now() + jitteredTtl(this.ttlMs) });
    return value;
  }

  /** Full: drop what has expired; if that is not enough, start over (the TTL is short anyway). */
  private evict(): void {
    const now = Date.now();
    for (const [key, e] of this.entries) if (now >= e.expiresAt) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
  }
}

/**
 * An entry's lifetime: between 75 % and 100 % of the TTL. Entries filled together (every room's rules
 * at the first comments after a start) would otherwise expire together and refill in one burst of
 * queries every TTL, which showed as a p99 latency spike under steady load; the TTL stays the bound.
 */
export function jitteredTtl(ttlMs: number): number {
  return ttlMs * (1 - 0.25 * Math.random());
}
