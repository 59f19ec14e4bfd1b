/**
 * Groups concurrent writes into batches: an item waits only until a write slot is free, so a lone
 * comment is written on the next tick while a burst rides in a few large transactions instead of one
 * round trip per comment. Hand-written because the generic batching libraries (dataloader & co.) are
 * built for reads: they neither bound in-flight transactions nor isolate a failing item.
 */
export interface WriteBatcherOptions<I, O> {
  write: (items: I[]) => Promise<O[]>;
  maxBatch: number;
  /** Transactions in flight at once (1 for PGlite, which has a single connection). */
  concurrency: number;
  onBatch?: (size: number, ms: number, error?: unknown) => void;
  /**
   * Most items waiting for a write slot; over it, `submit` refuses at once with WriteShed('full') instead
   * of queueing work nobody may still be waiting for (load shedding). @default Infinity
   */
  maxQueued?: number;
  /**
   * Most time an item may wait for a write slot; older ones are refused with WriteShed('expired') when
   * their turn comes instead of being written: their sender's ack has timed out and it will retry with
   * the same id, so writing them only lengthens a retry storm. @default Infinity
   */
  maxWaitMs?: number;
  /**
   * A write beside the ones already in flight starts only for a backlog: once this many items wait, or
   * the oldest has waited `lingerMs`. Until then they ride with the next batch when a write returns.
   * Each write costs a round trip of its own (encode, syscalls, parse) whatever its size, and at a
   * moderate rate every comment found a free connection and went alone; under load, or behind a slow
   * statement, the backlog opens the other connections. @default 1 (any waiting item)
   */
  spareFrom?: number;
  /** See `spareFrom`. @default 0 */
  lingerMs?: number;
}

/** Load shedding: the item was not written (queue over its bound, or waited past maxWaitMs). Retry later. */
export class WriteShed extends Error {
  constructor(readonly reason: 'full' | 'expired') {
    super(reason === 'full' ? 'write queue full' : 'waited too long for a write slot');
    this.name = 'WriteShed';
  }
}

interface Pending<I, O> {
  item: I;
  /** When it was submitted (performance.now()). */
  at: number;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class WriteBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WriteBatcherOptions<I, O>) {}

  /** Items waiting for a write slot. */
  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= (this.opts.maxQueued ?? Infinity)) return Promise.reject(new WriteShed('full'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject, at: performance.now() });
      this.schedule();
    });
  }

  /** Resolves when every submitted item has been written or has failed. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.concurrency) return;
    this.scheduled = true;
    // setImmediate lets every item submitted in this tick (one incoming packet burst) share the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.shedExpired();
      while (this.queue.length > 0 && this.inFlight < this.opts.concurrency) {
        if (this.inFlight > 0 && !this.backlog()) return this.lingerForBacklog();
        void this.flush(this.queue.splice(0, this.opts.maxBatch));
      }
    });
  }

  /** Whether the waiting items justify another write beside those in flight (see `spareFrom`). */
  private backlog(): boolean {
    const oldest = this.queue[0];
    return this.queue.length >= (this.opts.spareFrom ?? 1) || (oldest !== undefined && performance.now() - oldest.at >= (this.opts.lingerMs ?? 0));
  }

  /** Looks again when the oldest waiting item reaches `lingerMs`, in case no write returns before. */
  private lingerForBacklog(): void {
    if (this.lingering) return;
    const waited = performance.now() - (this.queue[0]?.at ?? 0);
    this.lingering = setTimeout(() => {
      this.lingering = undefined;
      this.schedule();
    }, Math.max(0, (this.opts.lingerMs ?? 0) - waited));
  }

  /** The queue is in submission order: expired items are at its head. */
  private shedExpired(): void {
    const maxWait = this.opts.maxWaitMs ?? Infinity;
    const now = performance.now();
    let n = 0;
    while (n < this.queue.length && now - (this.queue[n] as Pending<I, O>).at > maxWait) n++;
    for (const p of this.queue.splice(0, n)) p.reject(new WriteShed('expired'));
    if (n > 0 && this.queue.length === 0 && this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private async flush(batch: Pending<I, O>[]): Promise<void> {
    this.inFlight++;
    const started = performance.now();
    try {
      const results = await this.opts.write(batch.map((p) => p.item));
      this.opts.onBatch?.(batch.length, performance.now() - started);
      batch.forEach((p, i) => p.resolve(results[i] as O));
    } catch (err) {
      this.opts.onBatch?.(batch.length, performance.now() - started, err);
      if (batch.length === 1) batch[0]?.reject(err);
      // One bad item must not fail its neighbours: retry them one by one, in this batch's slot (one
      // write at a time), so a failed batch never puts more than `concurrency` writes in flight.
      else for (const p of batch) await this.writeOne(p);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
      else if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
    }
  }

  private async writeOne(p: Pending<I, O>): Promise<void> {
    try {
      const [result] = await this.opts.write([p.item]);
      p.resolve(result as O);
    } catch (err) {
      p.reject(err);
    }
  }
}
