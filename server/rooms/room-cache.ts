import type { RoomSummary } from '../../shared/contract.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { RoomRepository } from './room.repository.ts';

/**
 * Rooms are read on every comment; settings change rarely. Entries live a few seconds and are dropped
 * at once when any instance changes a room (moderation's mod:invalidate, see moderation.access.ts).
 * Concurrent misses on one room share one query.
 */
export class RoomCache {
  private readonly entries: TtlCache<RoomSummary | null>;

  constructor(
    private readonly repo: Pick<RoomRepository, 'findById'>,
    ttlMs = 5_000,
  ) {
    this.entries = new TtlCache(ttlMs, 10_000);
  }

  get(id: string): Promise<RoomSummary | null> {
    return this.entries.get(id, () => this.repo.findById(id));
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
