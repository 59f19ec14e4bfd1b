/**
 * Short-lived per-instance caches of moderation state read on every comment (sanctions, appointments,
 * blocked terms). The truth is in the database; a change is pushed to every instance at once
 * (mod:invalidate, awaited before the moderator's ack) and the TTL bounds staleness if a push is lost.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every key starting with `prefix` (all users of a room, say). */
  deletePrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
