import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export interface RedisConnections {
  /** Commands (presence, limits, stats). Fails fast while Redis is down instead of queueing. */
  cmd: Redis;
  pub: Redis;
  sub: Redis;
  isUp(): boolean;
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
  let up = false;
  let wasLost = false;
  cmd.on('ready', () => {
    up = true;
    log.info({ redis: 'ready' }, wasLost ? 'redis is back' : 'redis connected');
    if (wasLost) listeners.forEach((l) => l());
    wasLost = false;
  });
  cmd.on('close', () => {
    if (up) log.warn({ redis: 'down' }, 'redis connection lost; serving local sockets only');
    if (up) wasLost = true;
    up = false;
  });
  for (const c of [cmd, pub, sub]) c.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'));
  return {
    cmd,
    pub,
    sub,
    isUp: () => up && pub.status === 'ready' && sub.status === 'ready',
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
