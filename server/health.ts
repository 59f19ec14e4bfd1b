import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { RedisConnections } from './realtime/redis.ts';

export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  instanceId: string;
  uptimeSeconds: number;
  database: { kind: Database['kind']; ready: boolean };
  redis: { configured: boolean; up: boolean };
  connections: number;
}

/** `GET /api/health`: 503 material when the database is unreachable, "degraded" while Redis is away. */
export function createHealthCheck(d: {
  config: Pick<Config, 'instanceId'>;
  db: Database;
  redis: RedisConnections | undefined;
  /** Open client connections on this instance: Socket.IO sockets and seed pages. */
  connections: () => number;
  /** False until start-up (migrations, warm-up) is done: not ready for traffic yet. */
  isWarm: () => boolean;
}) {
  const startedAt = Date.now();
  // Connection problems are retried and logged by the database module; health only says ready or not.
  return async function health(): Promise<Health> {
    let dbOk = d.db.isReady();
    if (dbOk) dbOk = await d.db.ping().then(() => true, () => false);
    const redisUp = d.redis ? d.redis.isUp() : false;
    return {
      status: !dbOk || !d.isWarm() ? 'unavailable' : d.redis && !redisUp ? 'degraded' : 'ok',
      instanceId: d.config.instanceId,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database: { kind: d.db.kind, ready: dbOk },
      redis: { configured: Boolean(d.redis), up: redisUp },
      connections: d.connections(),
    };
  };
}
