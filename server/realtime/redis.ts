import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export interface RedisConnections {
  /** Commands (presence, limits, stats). Fails fast while Redis is down instead of queueing. */
  cmd: Redis;
  pub: Redis;
  sub: Redis;
  isUp(): boolean;
  /** Called once each time a working Redis connection is lost (not on every failed retry). */
  onLost(listener: () => void): void;
  /** Called each time Redis comes back after having been lost. */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

export function connectRedis(url: string, log: Logger): RedisConnections {
  const retryStrategy = (times: number) => Math.min(times * 200, 2_000);
  const cmd = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
  const pub = new Redis(url, { retryStrategy });
  const sub = pub.duplicate();
  const listeners: (() => void)[] = [];
  const lostListeners: (() => void)[] = [];
  let up = false;
  let wasLost = false;
  cmd.on('ready', () => {
    up = true;
    log.info({ redis: 'ready' }, wasLost ? 'redis is back' : 'redis connected');
    if (wasLost) listeners.forEach((l) => l());
    wasLost = false;
  });
  cmd.on('close', () => {
    if (!up) return; // a failed reconnect attempt: already reported
    log.warn({ redis: 'down' }, 'redis connection lost; serving local sockets only');
    wasLost = true;
    up = false;
    lostListeners.forEach((l) => l());
  });
  for (const c of [cmd, pub, sub]) c.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'));
  return {
    cmd,
    pub,
    sub,
    isUp: () => up && pub.status === 'ready' && sub.status === 'ready',
    onLost: (l) => lostListeners.push(l),
    onRecovered: (l) => listeners.push(l),
    async close() {
      await Promise.allSettled([cmd.quit(), pub.quit(), sub.quit()]);
    },
  };
}

/** Resolves once the command connection is ready, or after `timeoutMs` (the server starts degraded). */
export function waitForRedis(r: RedisConnections, timeoutMs: number): Promise<boolean> {
  if (r.cmd.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    r.cmd.once('ready', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
