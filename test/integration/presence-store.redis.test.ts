import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { RedisPresenceStore } from '../../server/presence/redis-presence.store.ts';
import { describePresenceStore } from '../support/presence-contract.ts';
import { requireService, TEST_REDIS_URL } from '../support/services.ts';

/**
 * The Redis store against the shared PresenceStore contract (the memory run is in test/unit), on the
 * real Redis. Every store gets its own key prefix under one prefix unique to this run, outside `lr:*`
 * so a concurrent flushProductKeys() cannot pull keys from under it; everything under it is deleted
 * afterwards.
 */
const hasRedis = await requireService('redis');
const runPrefix = `lrtest-presence-contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

describe.skipIf(!hasRedis)('redis presence store', () => {
  let redis: Redis | undefined;
  let n = 0;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    if (!redis) return;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${runPrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });

  describePresenceStore('redis', async () => {
    if (!redis) throw new Error('no Redis connection');
    const id = n++;
    const store = new RedisPresenceStore({
      redis,
      instanceId: `contract-${id}`,
      log: pino({ level: 'silent' }),
      keyPrefix: `${runPrefix}:${id}`,
      tickMs: 60_000, // no heartbeat during a test: the first one (start) registers the instance
    });
    await store.start();
    return store;
  });
});
