import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import { MemoryPresenceStore, type PresenceStore } from './presence.store.ts';
import { MemoryRecentPresence, RedisRecentPresence, type RecentPresence } from './recent-presence.ts';
import { RedisPresenceStore } from './redis-presence.store.ts';

/** Who is in which room: in memory on one instance, shared through Redis across several. */
export function createPresenceStore(d: { config: Pick<Config, 'instanceId' | 'clusterPrefix'>; log: Logger; redis: RedisConnections | undefined }): PresenceStore {
  if (!d.redis) return new MemoryPresenceStore();
  const store = new RedisPresenceStore({ redis: d.redis.cmd, instanceId: d.config.instanceId, log: d.log, keyPrefix: d.config.clusterPrefix });
  // Whatever this instance wrote while Redis was away is missing there: put it back.
  d.redis.onRecovered(() => void store.republish().catch(() => {}));
  return store;
}

/** Who was in which room within the last minute (join notices are not repeated for them). */
export function createRecentPresence(d: { config: Pick<Config, 'clusterPrefix'>; redis: RedisConnections | undefined }): RecentPresence {
  return d.redis ? new RedisRecentPresence(d.redis.cmd, d.config.clusterPrefix) : new MemoryRecentPresence();
}
