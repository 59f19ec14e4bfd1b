/**
 * Latency histogram with ~1% wide logarithmic buckets over microseconds: cheap to record at hundreds of
 * thousands of samples per second, and mergeable across worker processes (percentiles are not).
 */
const SCALE = 100;
const BUCKETS = 2_000; // expm1(20) µs ≈ 8 minutes: anything longer lands in the last bucket.

export class Histogram {
  counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;

  record(micros: number): void {
    const v = micros > 0 ? micros : 0;
    let i = Math.floor(Math.log1p(v) * SCALE);
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]!++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  /** Sparse form for IPC. */
  toJSON(): SerializedHistogram {
    const buckets: [number, number][] = [];
    this.counts.forEach((c, i) => {
      if (c > 0) buckets.push([i, c]);
    });
    return { buckets, count: this.count, max: this.max };
  }

  merge(h: SerializedHistogram): void {
    for (const [i, c] of h.buckets) this.counts[i]! += c;
    this.count += h.count;
    if (h.max > this.max) this.max = h.max;
  }

  /** Value (µs) at quantile q, the bucket's upper bound (so never flattering). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return Math.min(Math.expm1((i + 1) / SCALE), this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    const ms = (us: number) => Math.round(us / 10) / 100;
    return { count: this.count, p50: ms(this.quantile(0.5)), p90: ms(this.quantile(0.9)), p99: ms(this.quantile(0.99)), max: ms(this.max) };
  }
}

export interface SerializedHistogram {
  buckets: [number, number][];
  count: number;
  max: number;
}

/** Milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
