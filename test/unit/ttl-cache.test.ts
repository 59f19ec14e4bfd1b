import { describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../server/cache/ttl-cache.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TtlCache', () => {
  it('does not keep a value loaded before an invalidation (a ban committed mid-read must not be cached away)', async () => {
    const cache = new TtlCache<string>(60_000);
    const before = deferred<string>();
    // A comment's check starts reading the restriction; the moderator's ban commits and invalidates meanwhile.
    const inFlight = cache.get('room\u0000user', () => before.promise);
    cache.delete('room\u0000user');
    before.resolve('not banned');
    expect(await inFlight).toBe('not banned');
    // The next check must read again, not serve the pre-ban answer for the TTL.
    expect(await cache.get('room\u0000user', async () => 'banned')).toBe('banned');
  });

  it('the same holds for a prefix invalidation', async () => {
    const cache = new TtlCache<string>(60_000);
    const before = deferred<string>();
    const inFlight = cache.get('room\u0000user', () => before.promise);
    cache.deletePrefix('room\u0000');
    before.resolve('old');
    await inFlight;
    expect(await cache.get('room\u0000user', async () => 'new')).toBe('new');
  });

  it('spreads expiry over the last quarter of the TTL, never beyond it (no synchronized refill bursts)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const cache = new TtlCache<number>(4_000);
      let loads = 0;
      const load = async () => ++loads;
      const keys = Array.from({ length: 100 }, (_, i) => `room-${i}`);
      for (const k of keys) await cache.get(k, load);
      expect(loads).toBe(100);
      vi.setSystemTime(Date.now() + 2_999); // < 75 %: everything still cached
      for (const k of keys) await cache.get(k, load);
      expect(loads).toBe(100);
      vi.setSystemTime(Date.now() + 600); // ~90 %: some, not all, expired
      for (const k of keys) await cache.get(k, load);
      expect(loads).toBeGreaterThan(100);
      expect(loads).toBeLessThan(200);
      vi.setSystemTime(Date.now() + 402); // just past the TTL of the first fills: those not yet reloaded reload now
      for (const k of keys) await cache.get(k, load);
      expect(loads).toBe(200); // the first fills all expired by now; the ~90 % reloads are still fresh
    } finally {
      vi.useRealTimers();
    }
  });

  it('caches within the TTL otherwise', async () => {
    const cache = new TtlCache<number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('k', load);
    expect(await cache.get('k', load)).toBe(1);
  });

  it('shares one load among concurrent misses on a key', async () => {
    const cache = new TtlCache<number>(60_000);
    const gate = deferred<number>();
    let loads = 0;
    const load = () => (loads++, gate.promise);
    const all = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    gate.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
  });

  it('does not hand a load begun before an invalidation to callers that come after it', async () => {
    const cache = new TtlCache<string>(60_000);
    const before = deferred<string>();
    const inFlight = cache.get('k', () => before.promise);
    cache.delete('k');
    const after = cache.get('k', async () => 'new');
    before.resolve('old');
    expect(await inFlight).toBe('old');
    expect(await after).toBe('new');
    expect(await cache.get('k', async () => 'unused')).toBe('new');
  });

  it('does not cache a failed load: the next caller tries again', async () => {
    const cache = new TtlCache<string>(60_000);
    await expect(cache.get('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });

  it('when full, drops expired entries before the live ones', async () => {
    const cache = new TtlCache<number>(1_000, 2);
    const now = Date.now();
    const spy = vi.spyOn(Date, 'now').mockReturnValue(now);
    await cache.get('old', async () => 1);
    spy.mockReturnValue(now + 900);
    await cache.get('live', async () => 2);
    spy.mockReturnValue(now + 1_000);
    await cache.get('new', async () => 3);
    expect(await cache.get('live', async () => -1)).toBe(2);
    expect(await cache.get('new', async () => -1)).toBe(3);
    spy.mockRestore();
  });
});
