import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MemoryRecentPresence, RedisRecentPresence, type RecentPresence } from '../../server/presence/recent-presence.ts';
import { requireService, TEST_REDIS_URL } from '../support/services.ts';

const hasRedis = await requireService('redis');
const redis = hasRedis ? new Redis(TEST_REDIS_URL) : undefined;
const prefix = `test-recent-${Date.now().toString(36)}`;
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function contract(name: string, make: (windowMs: number) => RecentPresence) {
  describe(name, () => {
    it('a first arrival is new; arriving again, or after leaving within the window, is not', async () => {
      const recent = make(60_000);
      expect(await recent.arrive('r', 'ana')).toBe(false);
      expect(await recent.arrive('r', 'ana')).toBe(true);
      await recent.leave('r', 'ana');
      expect(await recent.arrive('r', 'ana')).toBe(true);
      expect(await recent.arrive('other-room', 'ana')).toBe(false);
      expect(await recent.arrive('r', 'bo')).toBe(false);
    });

    it('forgets a user the window after they left', async () => {
      const recent = make(150);
      await recent.arrive('r2', 'cy');
      await recent.leave('r2', 'cy');
      await new Promise((r) => setTimeout(r, 250));
      expect(await recent.arrive('r2', 'cy')).toBe(false);
    });
  });
}

contract('memory recent presence', (w) => new MemoryRecentPresence(w));
describe.skipIf(!hasRedis)('redis', () => {
  contract('redis recent presence (shared by instances)', (w) => new RedisRecentPresence(redis!, `${prefix}-${w}-${Math.random().toString(36).slice(2)}`, w));
});

describe('memory recent presence bounds', () => {
  it('keeps at most maxEntries, dropping the expired and then the oldest', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const recent = new MemoryRecentPresence(1_000, 100);
      for (let i = 0; i < 150; i++) await recent.arrive('r', `u${i}`);
      expect((recent as unknown as { until: Map<string, number> }).until.size).toBeLessThanOrEqual(100);
      expect(await recent.arrive('r', 'u149')).toBe(true); // the newest are kept
    } finally {
      vi.useRealTimers();
    }
  });
});
