import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../../server/presence/redis-presence.store.ts';
import { requireService, TEST_REDIS_URL } from '../support/services.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/server.ts';

const hasRedis = await requireService('redis');
const run = Date.now().toString(36);
const prefix = `lr:t-${run}`;

describe.skipIf(!hasRedis)('redis presence across a short Redis outage', () => {
  const target = new URL(TEST_REDIS_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  const direct = new Redis(TEST_REDIS_URL);
  let viaProxy: Redis;
  let store: RedisPresenceStore;

  beforeAll(async () => {
    await proxy.start();
    viaProxy = new Redis({ host: '127.0.0.1', port: proxy.port, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    viaProxy.on('error', () => {}); // refused reconnects while the proxy is cut are expected
    await new Promise((resolve) => viaProxy.once('ready', resolve));
    store = new RedisPresenceStore({ redis: viaProxy, instanceId: `i-${run}`, log: pino({ level: 'silent' }), keyPrefix: prefix, tickMs: 60_000 });
    await store.start();
  });
  afterAll(async () => {
    await store?.close();
    viaProxy?.disconnect();
    await proxy.cut();
    const keys = await direct.keys(`${prefix}:*`);
    if (keys.length) await direct.del(...keys);
    await direct.quit();
  });

  it('forgets in Redis a connection that left while Redis was unreachable', async () => {
    const entry = (socketId: string) => ({ socketId, userId: `u-${socketId}`, name: socketId, tag: 'abcd' });
    await store.add('stage', entry('s1'));
    await store.add('stage', entry('s2'));
    expect((await store.snapshot('stage', 10)).connections).toBe(2);

    await proxy.cut();
    await waitFor(() => viaProxy.status !== 'ready', 3_000, 'the store to lose Redis');
    await store.remove('stage', 's1'); // only the local mirror can be updated now
    await proxy.start();
    await waitFor(() => viaProxy.status === 'ready', 5_000, 'the store to reach Redis again');
    await store.republish();

    // What every other instance reads: s1 must be gone, s2 still there.
    const fields = await direct.hkeys(`${prefix}:presence:stage`);
    expect(fields).toEqual([`i-${run}|s2`]);
    expect((await store.snapshot('stage', 10)).connections).toBe(1);
  });
});

describe.skipIf(!hasRedis)('redis presence at start-up', () => {
  const target = new URL(TEST_REDIS_URL);
  const direct = new Redis(TEST_REDIS_URL);
  const opened: { store: RedisPresenceStore; redis: Redis }[] = [];
  const entry = (socketId: string) => ({ socketId, userId: `u-${socketId}`, name: socketId, tag: 'abcd' });
  const open = (redisPort: number, instanceId: string, tickMs = 60_000) => {
    const redis = new Redis({ host: '127.0.0.1', port: redisPort, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => {}); // refused connections while a proxy is cut are expected
    const store = new RedisPresenceStore({ redis, instanceId, log: pino({ level: 'silent' }), keyPrefix: `${prefix}-s`, tickMs });
    opened.push({ store, redis });
    return { store, redis };
  };
  afterAll(async () => {
    for (const o of opened) {
      await o.store.close();
      o.redis.disconnect();
    }
    const keys = await direct.keys(`${prefix}-s:*`);
    if (keys.length) await direct.del(...keys);
    await direct.quit();
  });

  it('clears what a crashed process with the same INSTANCE_ID left behind', async () => {
    const port = Number(target.port || 6379);
    const crashed = open(port, `fixed-${run}`);
    await new Promise((resolve) => crashed.redis.once('ready', resolve));
    await crashed.store.start();
    await crashed.store.add('hall', entry('old1'));
    expect(await direct.hkeys(`${prefix}-s:presence:hall`)).toEqual([`fixed-${run}|old1`]);
    // It dies without goodbye; a new process with the same id starts before the heartbeat expires.
    crashed.redis.disconnect();
    const restarted = open(port, `fixed-${run}`);
    await new Promise((resolve) => restarted.redis.once('ready', resolve));
    await restarted.store.start();
    expect(await direct.hkeys(`${prefix}-s:presence:hall`)).toEqual([]);
  });

  it('publishes the sockets that joined while Redis was unreachable at start-up', async () => {
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.start();
    await proxy.cut(); // Redis is down when the instance starts
    const { store, redis } = open(proxy.port, `late-${run}`, 200);
    await store.start();
    await store.add('hall2', entry('early'));
    await proxy.start();
    await waitFor(() => redis.status === 'ready', 5_000, 'Redis to become reachable');
    let fields: string[] = [];
    for (let i = 0; i < 50 && fields.length === 0; i++) {
      fields = await direct.hkeys(`${prefix}-s:presence:hall2`);
      if (fields.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(fields).toEqual([`late-${run}|early`]);
    await store.close();
    await proxy.cut();
  });
});
