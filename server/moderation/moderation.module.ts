import type { Database } from '../db/client.ts';
import type { DomainEventBus } from '../events.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import type { Logger } from '../logger.ts';
import type { AckObserver } from '../metrics/metrics.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { RoomFrames } from '../realtime/room-frames.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import type { RoomRepository } from '../rooms/room.repository.ts';
import type { StatsService } from '../stats/stats.service.ts';
import { createConsoleService } from './console.service.ts';
import { ModerationAccess } from './moderation.access.ts';
import { createModerationChecks } from './moderation.checks.ts';
import type { EventRouter } from '../realtime/event-router.ts';
import { moderationListeners } from './moderation.handlers.ts';
import { createSocketOutbox } from './moderation.outbox.ts';
import { createModerationRepository } from './moderation.repository.ts';
import { createModerationService } from './moderation.service.ts';
import { hotPathTtlMs } from '../cache/hot-path-ttl.ts';

export interface ModerationModuleDeps {
  io: IoServer;
  router: EventRouter;
  frames: RoomFrames;
  log: Logger;
  acks: AckObserver;
  events: DomainEventBus;
  db: Database;
  redis: RedisConnections | undefined;
  rooms: { cache: RoomCache; repository: RoomRepository };
  users: UserRepository;
  stats: StatsService;
}

/**
 * Roles, sanctions, room rules and the audit log: the access rules rooms consult, the checks the comment
 * pipeline runs, the `mod:*` socket events, and the staff console's queries.
 */
export function createModerationModule(d: ModerationModuleDeps) {
  const repository = createModerationRepository(d.db.prisma);
  const access = new ModerationAccess(repository, d.rooms.cache, hotPathTtlMs(Boolean(d.redis)));
  const outbox = createSocketOutbox(d.io, d.frames, { clustered: Boolean(d.redis), log: d.log, events: d.events, onInvalidate: (msg) => access.invalidate(msg) });
  const service = createModerationService({ repo: repository, access, rooms: d.rooms.repository, users: d.users, stats: d.stats, outbox, log: d.log });

  d.router.add(moderationListeners(service, { log: d.log, acks: d.acks }));
  // Another instance changed a rule: forget what this one cached.
  d.io.on('mod:invalidate', (msg, ack) => {
    access.invalidate(msg);
    ack(true);
  });

  return {
    repository,
    access,
    checks: createModerationChecks(access, d.redis?.cmd),
    service,
    console: createConsoleService({ rooms: d.rooms.repository, stats: d.stats, repo: repository, moderation: service }),
  };
}

export type ModerationModule = ReturnType<typeof createModerationModule>;
