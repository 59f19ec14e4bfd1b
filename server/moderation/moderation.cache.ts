/**
 * Short-lived per-instance caches of moderation state read on every comment (sanctions, appointments,
 * blocked terms). The truth is in the database; a change is pushed to every instance at once
 * (mod:invalidate, awaited before the moderator's ack) and the TTL bounds staleness if a push is lost.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /**
   * Bumped by every invalidation. A load that began before one may have read the old decision, so its
   * result answers that one caller but is not cached (invalidations are rare; the next read reloads).
   */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const startedAt = this.generation;
    const value = await load();
    if (startedAt !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Drops every key starting with `prefix` (all users of a room, say). */
  deletePrefix(prefix: string): void {
    this.generation++;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
