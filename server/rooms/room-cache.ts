import type { RoomSummary } from '../../shared/contract.ts';
import type { RoomRepository } from './room.repository.ts';

/**
 * Rooms are read on every comment; settings change rarely. Entries live a few seconds and are dropped
 * at once when any instance changes a room (moderation's mod:invalidate, see moderation.access.ts).
 */
export class RoomCache {
  private readonly entries = new Map<string, { room: RoomSummary | null; at: number }>();

  constructor(
    private readonly repo: RoomRepository,
    private readonly ttlMs = 5_000,
  ) {}

  async get(id: string): Promise<RoomSummary | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.room;
    const room = await this.repo.findById(id);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(id, { room, at: Date.now() });
    return room;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
