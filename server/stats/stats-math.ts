/** Pure arithmetic behind the live numbers; unit-tested in test/unit/stats-math.test.ts. */
import type { StatsPoint } from '../../shared/moderation.ts';

export const MINUTE_MS = 60_000;

/** Start of the minute containing `ms`. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Comments in the last 60 s, estimated from two minute buckets: all of the current minute plus the
 * part of the previous minute still inside the window (the count is assumed spread evenly over it).
 */
export function slidingPerMinute(buckets: ReadonlyMap<number, number>, now: number): number {
  const current = minuteOf(now);
  const elapsed = (now - current) / MINUTE_MS;
  const here = buckets.get(current) ?? 0;
  const before = buckets.get(current - MINUTE_MS) ?? 0;
  return Math.round(here + before * (1 - elapsed));
}

/** The higher of two peaks; on a tie the earlier keeps its time (when the peak was first reached). */
export function higherPeak(
  a: { connections: number; at: number } | null,
  b: { connections: number; at: number } | null,
): { connections: number; at: number } | null {
  if (!a) return b;
  if (!b) return a;
  if (b.connections > a.connections) return b;
  if (b.connections === a.connections && b.at < a.at) return b;
  return a;
}

/** A chart point while the server computes it: the minute as epoch ms. */
export type SeriesRow = StatsPoint<number>;

/** What one minute (or a longer bucket) counts, without saying which minute. */
export type MinuteCounts = Omit<StatsPoint, 'minute'>;

export const noCounts = (): MinuteCounts => ({ comments: 0, joins: 0, onlinePeak: 0, rateLimited: 0 });

/** Two counts of the same span together: the sums, and the higher online peak. */
export function addCounts(a: MinuteCounts, b: MinuteCounts): MinuteCounts {
  return {
    comments: a.comments + b.comments,
    joins: a.joins + b.joins,
    onlinePeak: Math.max(a.onlinePeak, b.onlinePeak),
    rateLimited: a.rateLimited + b.rateLimited,
  };
}

/** One point per minute from `from` to `to` (inclusive), zeros where nothing was recorded. */
export function fillSeries(rows: SeriesRow[], from: number, to: number): SeriesRow[] {
  const byMinute = new Map(rows.map((r) => [minuteOf(r.minute), r]));
  const out: SeriesRow[] = [];
  for (let m = minuteOf(from); m <= minuteOf(to); m += MINUTE_MS) {
    out.push(byMinute.get(m) ?? { minute: m, ...noCounts() });
  }
  return out;
}

/** Buckets of one minute each summed into buckets of `size` minutes (the 24 h chart uses 10-minute bars). */
export function downsample(rows: SeriesRow[], size: number): SeriesRow[] {
  if (size <= 1) return rows;
  const out: SeriesRow[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const first = chunk[0];
    if (!first) continue;
    out.push({ minute: first.minute, ...chunk.reduce<MinuteCounts>(addCounts, noCounts()) });
  }
  return out;
}
