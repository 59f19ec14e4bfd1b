import type { Config } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { createApiKeyRepository } from './api-key.repository.ts';
import { createApiAuth } from './api-keys.ts';
import { createGatewayService } from './gateway.service.ts';

/** Assembles the gateway service and the push API's key check (kept out of server/app.ts). */
export function createGatewayModule(d: {
  io: IoServer;
  log: Logger;
  rooms: RoomCache;
  config: Config;
  prisma: PrismaClient;
  redis: RedisConnections | undefined;
}) {
  const gateway = createGatewayService({
    io: d.io,
    log: d.log,
    rooms: d.rooms,
    clustered: Boolean(d.redis),
    clusterReachable: () => d.redis?.isUp() ?? true,
  });
  const apiAuth = createApiAuth({
    envKeys: d.config.apiKeys,
    repo: createApiKeyRepository(d.prisma),
    limiter: createLimiter({ prefix: 'api', points: d.config.apiRatePerMinute, durationSeconds: 60, redis: d.redis?.cmd }),
  });
  return { gateway, apiAuth };
}
