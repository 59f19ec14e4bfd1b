import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../server/moderation/moderation.cache.ts';

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

  it('caches within the TTL otherwise', async () => {
    const cache = new TtlCache<number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('k', load);
    expect(await cache.get('k', load)).toBe(1);
  });
});
