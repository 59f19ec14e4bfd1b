import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export interface Limiter {
  /** Resolves with null when allowed, or with the wait in ms when over the limit. */
  take(key: string): Promise<number | null>;
}

/**
 * rate-limiter-flexible over Redis when configured (limits hold across instances), with an in-memory
 * insurance limiter so a Redis outage neither blocks nor unlimits commenting.
 */
export function createLimiter(opts: { prefix: string; points: number; durationSeconds: number; redis?: Redis }): Limiter {
  const memory = new RateLimiterMemory({ keyPrefix: opts.prefix, points: opts.points, duration: opts.durationSeconds });
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({
        storeClient: opts.redis,
        keyPrefix: `lr:rl:${opts.prefix}`,
        points: opts.points,
        duration: opts.durationSeconds,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async take(key) {
      try {
        await limiter.consume(key, 1);
        return null;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
        throw res;
      }
    },
  };
}
