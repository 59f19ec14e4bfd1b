import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { createGatewayService } from './gateway.service.ts';
import { listenForRemoteMutations } from './socket-mutations.ts';
import { createApiKeyRepository } from './http/api-key.repository.ts';
import { createApiAuth } from './http/api-keys.ts';

/** GatewayWorker's Gateway API (push, groups, uids, sessions, presence queries) and the push API's key check. */
export function createGatewayModule(d: {
  io: IoServer;
  log: Logger;
  rooms: RoomCache;
  config: Pick<Config, 'apiKeys' | 'apiRatePerMinute'>;
  db: Database;
  redis: RedisConnections | undefined;
}) {
  const service = createGatewayService({
    io: d.io,
    log: d.log,
    rooms: d.rooms,
    clustered: Boolean(d.redis),
    clusterReachable: () => d.redis?.isUp() ?? true,
  });
  const apiAuth = createApiAuth({
    envKeys: d.config.apiKeys,
    repo: createApiKeyRepository(d.db.prisma),
    limiter: createLimiter({ prefix: 'api', points: d.config.apiRatePerMinute, durationSeconds: 60, redis: d.redis?.cmd }),
  });
  // Connection changes requested on another instance run here when this instance holds the connection.
  listenForRemoteMutations(d.io);
  return { service, apiAuth };
}

export type GatewayModule = ReturnType<typeof createGatewayModule>;
