import { describe, expect, it } from 'vitest';
import { WriteBatcher, WriteShed } from '../../server/messages/write-batcher.ts';

/** One turn of the event loop (the batcher dispatches from setImmediate). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function turnsUntil(check: () => boolean, what: string, maxTurns = 200): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await nextTurn();
  }
  throw new Error(`never happened: ${what}`);
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** How a promise ended, without letting a rejection go unhandled. */
function outcome<T>(p: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const o: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  p.then(
    (value) => Object.assign(o, { settled: true, value }),
    (error: unknown) => Object.assign(o, { settled: true, error }),
  );
  return o;
}

/**
 * A write whose calls the test holds open and releases by hand, counting the calls in flight.
 * The counter is decremented before the batcher sees the call settle.
 */
function heldWrite() {
  const calls: { items: string[]; done: ReturnType<typeof deferred<string[]>> }[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const write = (items: string[]): Promise<string[]> => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const done = deferred<string[]>();
    calls.push({ items, done });
    return done.promise.finally(() => stats.inFlight--);
  };
  const call = (i: number) => {
    const c = calls[i];
    if (!c) throw new Error(`write call #${i} was not made (${calls.length} made)`);
    return c;
  };
  /** Resolves call #i with one result per item. */
  const release = (i: number) => call(i).done.resolve(call(i).items.map((x) => `ok:${x}`));
  return { write, calls, stats, call, release };
}

/** A write that answers after a short delay, failing a whole call when it contains a "bad" item. */
function timedWrite(delayMs = 2) {
  const calls: string[][] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const write = async (items: string[]): Promise<string[]> => {
    calls.push(items);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      await sleep(delayMs);
      const bad = items.find((x) => x.startsWith('bad'));
      if (bad) throw new Error(`cannot write ${bad}`);
      return items.map((x) => `ok:${x}`);
    } finally {
      stats.inFlight--;
    }
  };
  return { write, calls, stats };
}

describe('WriteBatcher', () => {
  it('writes the items submitted in one tick in one call, each caller getting its own result', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 4 });
    const results = await Promise.all(['a', 'b', 'c'].map((x) => batcher.submit(x)));
    expect(w.calls).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual(['ok:a', 'ok:b', 'ok:c']);
  });

  it('writes a lone item without waiting for company, and a later tick starts a new batch', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 4 });
    const first = batcher.submit('a');
    await turnsUntil(() => w.calls.length === 1, 'the first write');
    expect(w.calls).toEqual([['a']]); // dispatched although the batch could hold 49 more
    const second = batcher.submit('b');
    expect(await Promise.all([first, second])).toEqual(['ok:a', 'ok:b']);
    expect(w.calls).toEqual([['a'], ['b']]);
  });

  it('splits a burst into batches of at most maxBatch, in submission order', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 2, concurrency: 10 });
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(await Promise.all(items.map((x) => batcher.submit(x)))).toEqual(items.map((x) => `ok:${x}`));
    expect(w.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('never has more than `concurrency` writes in flight, and does use them all', async () => {
    const w = timedWrite(3);
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 1, concurrency: 3 });
    const items = Array.from({ length: 20 }, (_, i) => `i${i}`);
    const pending = items.slice(0, 10).map((x) => batcher.submit(x));
    await sleep(4); // the rest arrives while writes are running
    pending.push(...items.slice(10).map((x) => batcher.submit(x)));
    expect(await Promise.all(pending)).toEqual(items.map((x) => `ok:${x}`));
    expect(w.calls).toHaveLength(20);
    expect(w.stats.maxInFlight).toBe(3);
  });

  describe('spare writes only for a backlog (spareFrom, lingerMs)', () => {
    /** A batcher over a held write, with item 'a' already being written. */
    async function withFirstWriteHeld(opts: { concurrency: number; spareFrom: number; lingerMs: number }) {
      const w = heldWrite();
      const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, ...opts });
      const a = outcome(batcher.submit('a'));
      await turnsUntil(() => w.calls.length === 1, 'the first write');
      return { w, batcher, a };
    }

    it('items trickling in while a write runs wait for it and ride together; a backlog opens another write', async () => {
      const { w, batcher, a } = await withFirstWriteHeld({ concurrency: 3, spareFrom: 3, lingerMs: 60_000 });
      const b = outcome(batcher.submit('b'));
      await nextTurn();
      const c = outcome(batcher.submit('c'));
      await nextTurn();
      expect(w.calls).toHaveLength(1); // two waiting: not a backlog, though two connections are free
      w.release(0);
      await turnsUntil(() => w.calls.length === 2, 'the write after the first returned');
      expect(w.call(1).items).toEqual(['b', 'c']);
      // With one write in flight, three waiting items are a backlog: a second write starts beside it.
      const more = ['d', 'e', 'f'].map((x) => outcome(batcher.submit(x)));
      await turnsUntil(() => w.calls.length === 3, 'a spare write for the backlog');
      expect(w.call(2).items).toEqual(['d', 'e', 'f']);
      expect(w.stats.inFlight).toBe(2);
      w.release(1);
      w.release(2);
      await turnsUntil(() => more.every((o) => o.settled), 'the backlog to be written');
      expect([a, b, c, ...more].map((o) => o.value)).toEqual(['ok:a', 'ok:b', 'ok:c', 'ok:d', 'ok:e', 'ok:f']);
    });

    it('behind a write that does not return, the oldest waiting item gets a spare write after lingerMs', async () => {
      const { w, batcher, a } = await withFirstWriteHeld({ concurrency: 2, spareFrom: 100, lingerMs: 30 });
      const b = outcome(batcher.submit('b'));
      await sleep(10);
      expect(w.calls).toHaveLength(1);
      await sleep(40);
      expect(w.calls).toHaveLength(2);
      expect(w.call(1).items).toEqual(['b']);
      w.release(1);
      await turnsUntil(() => b.settled, "b's write");
      expect(a.settled).toBe(false); // the stuck write is still stuck; b did not wait for it
      w.release(0);
      await turnsUntil(() => a.settled, "a's write");
    });
  });

  it('an item submitted while every slot is busy waits for a free slot, then rides with the others that waited', async () => {
    const w = heldWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 1 });
    const a = outcome(batcher.submit('a'));
    await turnsUntil(() => w.calls.length === 1, 'the first write');
    // Submitted in three different ticks while 'a' is being written.
    const b = outcome(batcher.submit('b'));
    await nextTurn();
    const c = outcome(batcher.submit('c'));
    await nextTurn();
    const d = outcome(batcher.submit('d'));
    await nextTurn();
    expect(w.calls).toHaveLength(1); // nothing else started: the only slot is taken
    w.release(0);
    await turnsUntil(() => w.calls.length === 2, 'the second write');
    expect(w.call(1).items).toEqual(['b', 'c', 'd']);
    expect(w.stats.maxInFlight).toBe(1);
    w.release(1);
    await turnsUntil(() => d.settled, 'the waiting items to be written');
    expect([a.value, b.value, c.value, d.value]).toEqual(['ok:a', 'ok:b', 'ok:c', 'ok:d']);
  });

  it('retries a failing batch item by item: the bad item fails alone, its neighbours are written', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 2 });
    const [a, bad, c] = await Promise.allSettled(['a', 'bad1', 'c'].map((x) => batcher.submit(x)));
    expect(a).toEqual({ status: 'fulfilled', value: 'ok:a' });
    expect(c).toEqual({ status: 'fulfilled', value: 'ok:c' });
    expect(bad?.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toEqual(new Error('cannot write bad1'));
    // The whole batch once, then each item on its own.
    expect(w.calls[0]).toEqual(['a', 'bad1', 'c']);
    expect(w.calls.slice(1).sort()).toEqual([['a'], ['bad1'], ['c']]);
    expect(w.calls).toHaveLength(4);
  });

  it('rejects a failing single-item batch with the write error, without retrying it', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 1 });
    await expect(batcher.submit('bad')).rejects.toThrow('cannot write bad');
    expect(w.calls).toEqual([['bad']]);
    // And the batcher keeps working afterwards.
    expect(await batcher.submit('good')).toBe('ok:good');
  });

  it('only the failing batch is retried: other batches of the same burst are written once', async () => {
    const w = timedWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 2, concurrency: 4 });
    const settled = await Promise.allSettled(['a', 'b', 'c', 'bad', 'e'].map((x) => batcher.submit(x)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const sorted = w.calls.map((c) => c.join(',')).sort();
    expect(sorted).toEqual(['a,b', 'bad', 'c', 'c,bad', 'e']);
  });

  // Was a defect: the retry ran every item's write at once while the batch held one slot, so with
  // concurrency 1 (PGlite) a failed batch of N items put N writes in flight.
  it('keeps the item-by-item retry of a failed batch within `concurrency`', async () => {
    const w = timedWrite(3);
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 50, concurrency: 1 });
    const settled = await Promise.allSettled(['a', 'bad', 'c', 'd'].map((x) => batcher.submit(x)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(w.stats.maxInFlight).toBe(1);
  });

  it('refuses at once over maxQueued (load shedding), and queues again once the queue drains', async () => {
    const w = heldWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 2, concurrency: 1, maxQueued: 3 });
    const first = outcome(batcher.submit('a')); // taken by the one write slot on the next turn
    await new Promise((r) => setImmediate(r));
    const queued = ['b', 'c', 'd'].map((x) => outcome(batcher.submit(x)));
    await expect(batcher.submit('e')).rejects.toBeInstanceOf(WriteShed);
    w.release(0);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(first.value).toBe('ok:a');
    const again = outcome(batcher.submit('f')); // room again: b, c went into the next write
    w.release(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    w.release(2);
    await batcher.drain();
    expect(queued.map((q) => q.value)).toEqual(['ok:b', 'ok:c', 'ok:d']);
    expect(again.value).toBe('ok:f');
  });

  it('refuses items that waited past maxWaitMs instead of writing them (their sender gave up)', async () => {
    const w = heldWrite();
    const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 10, concurrency: 1, maxWaitMs: 50 });
    const first = outcome(batcher.submit('a'));
    await new Promise((r) => setImmediate(r)); // 'a' is being written; the slot is busy
    const stale = outcome(batcher.submit('old'));
    await new Promise((r) => setTimeout(r, 80)); // 'old' waits past 50 ms
    const fresh = outcome(batcher.submit('new'));
    w.release(0);
    for (let i = 0; i < 5 && w.calls.length < 2; i++) await new Promise((r) => setImmediate(r));
    expect(first.value).toBe('ok:a');
    expect(stale.error).toBeInstanceOf(WriteShed);
    expect((stale.error as WriteShed).reason).toBe('expired');
    expect(w.calls.map((c) => c.items)).toEqual([['a'], ['new']]);
    w.release(1);
    await batcher.drain();
    expect(fresh.value).toBe('ok:new');
  });

  describe('drain()', () => {
    it('resolves at once when nothing was submitted', async () => {
      const batcher = new WriteBatcher<string, string>({ write: async (x) => x, maxBatch: 10, concurrency: 1 });
      const d = outcome(batcher.drain());
      await Promise.resolve();
      await Promise.resolve();
      expect(d.settled).toBe(true);
    });

    it('resolves only after every write in flight and every queued item has settled', async () => {
      const w = heldWrite();
      const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 1, concurrency: 2 });
      const items = ['a', 'b', 'c'].map((x) => outcome(batcher.submit(x)));
      const drained = outcome(batcher.drain()); // called before anything was even dispatched
      await turnsUntil(() => w.calls.length === 2, 'two writes in flight');
      w.release(1);
      await turnsUntil(() => w.calls.length === 3, 'the queued item to start');
      await nextTurn();
      expect(drained.settled).toBe(false); // 'a' and 'c' still in flight
      w.release(0);
      await nextTurn();
      await nextTurn();
      expect(drained.settled).toBe(false); // 'c' still in flight
      w.release(2);
      await turnsUntil(() => drained.settled, 'drain to resolve');
      expect(items.map((i) => i.value)).toEqual(['ok:a', 'ok:b', 'ok:c']);
    });

    it('waits for the item-by-item retries of a failed batch, and resolves (not rejects) when items failed', async () => {
      const w = timedWrite(5);
      const batcher = new WriteBatcher<string, string>({ write: w.write, maxBatch: 10, concurrency: 1 });
      const items = ['a', 'bad', 'c'].map((x) => outcome(batcher.submit(x)));
      await batcher.drain();
      expect(items.every((i) => i.settled)).toBe(true);
      expect(items.map((i) => i.value)).toEqual(['ok:a', undefined, 'ok:c']);
      expect(items[1]?.error).toEqual(new Error('cannot write bad'));
      expect(w.stats.inFlight).toBe(0);
    });
  });

  describe('onBatch', () => {
    it('reports each written batch with its size and duration, and no error', async () => {
      const reports: { size: number; ms: number; error: unknown }[] = [];
      const w = timedWrite(30);
      const batcher = new WriteBatcher<string, string>({
        write: w.write,
        maxBatch: 2,
        concurrency: 4,
        onBatch: (size, ms, error) => reports.push({ size, ms, error }),
      });
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => batcher.submit(x)));
      expect(reports.map((r) => r.size).sort()).toEqual([1, 2, 2]);
      for (const r of reports) {
        expect(r.error).toBeUndefined();
        expect(r.ms).toBeGreaterThanOrEqual(20); // the write took ~30 ms
        expect(r.ms).toBeLessThan(5_000);
      }
    });

    it('reports a failed batch with its size and the error the write threw', async () => {
      const reports: { size: number; ms: number; error: unknown }[] = [];
      const boom = new Error('database down');
      const batcher = new WriteBatcher<string, string>({
        write: async () => {
          throw boom;
        },
        maxBatch: 10,
        concurrency: 1,
        onBatch: (size, ms, error) => reports.push({ size, ms, error }),
      });
      const settled = await Promise.allSettled(['a', 'b', 'c'].map((x) => batcher.submit(x)));
      expect(settled.every((s) => s.status === 'rejected' && s.reason === boom)).toBe(true);
      expect(reports).toHaveLength(1); // the batch; the per-item retries are not batches
      expect(reports[0]).toMatchObject({ size: 3, error: boom });
      expect(reports[0]?.ms).toBeGreaterThanOrEqual(0);
    });
  });
});
