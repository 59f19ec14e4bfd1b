import type { Database } from '../db/client.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import { createLobbyService } from './lobby.service.ts';
import { RoomCache } from './room-cache.ts';
import { hotPathTtlMs } from '../cache/hot-path-ttl.ts';
import { createRoomRepository } from './room.repository.ts';

/** Rooms: their rows, a short-lived cache for the hot path, and the lobby. */
export function createRoomsModule(d: { db: Database; redis: RedisConnections | undefined; users: UserRepository; presence: PresenceStore }) {
  const repository = createRoomRepository(d.db.prisma);
  return {
    repository,
    cache: new RoomCache(repository, hotPathTtlMs(Boolean(d.redis))),
    lobby: createLobbyService({ rooms: repository, users: d.users, presence: d.presence }),
    /** Abuse limit: rooms created per user. */
    newRoomLimit: createLimiter({ prefix: 'room', points: 5, durationSeconds: 600, redis: d.redis?.cmd }),
  };
}

export type RoomsModule = ReturnType<typeof createRoomsModule>;
