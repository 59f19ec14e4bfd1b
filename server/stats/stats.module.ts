import type { Database } from '../db/client.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import { RedisStatsStore } from './redis-stats.store.ts';
import { createStatsRepository } from './stats.repository.ts';
import { StatsService } from './stats.service.ts';
import { MemoryStatsStore } from './stats.store.ts';

/** Room statistics, fed by domain events: live counters in memory or Redis, minute rollups in the database. */
export function createStatsModule(d: { db: Database; redis: RedisConnections | undefined; presence: PresenceStore; events: DomainEventBus; log: Logger }): StatsService {
  return new StatsService({
    store: d.redis ? new RedisStatsStore(d.redis.cmd) : new MemoryStatsStore(),
    repo: createStatsRepository(d.db.prisma),
    presence: d.presence,
    events: d.events,
    log: d.log,
  });
}
