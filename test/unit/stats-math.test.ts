import { describe, expect, it } from 'vitest';
import { downsample, fillSeries, higherPeak, MINUTE_MS, minuteOf, slidingPerMinute } from '../../server/stats/stats-math.ts';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('stats math', () => {
  it('floors times to their minute', () => {
    expect(minuteOf(T0 + 59_999)).toBe(T0);
    expect(minuteOf(T0 + 60_000)).toBe(T0 + MINUTE_MS);
  });

  it('estimates comments in the last 60 s from two buckets', () => {
    const buckets = new Map([
      [T0 - MINUTE_MS, 60],
      [T0, 10],
    ]);
    expect(slidingPerMinute(buckets, T0)).toBe(70); // the whole previous minute still counts
    expect(slidingPerMinute(buckets, T0 + 15_000)).toBe(55); // 10 + 60 × 0.75
    expect(slidingPerMinute(buckets, T0 + 59_999)).toBe(10);
    expect(slidingPerMinute(new Map(), T0)).toBe(0);
    expect(slidingPerMinute(new Map([[T0 - 2 * MINUTE_MS, 99]]), T0)).toBe(0); // too old
  });

  it('keeps the higher peak, and the earlier time on a tie', () => {
    const a = { connections: 5, at: 100 };
    expect(higherPeak(null, a)).toBe(a);
    expect(higherPeak(a, { connections: 4, at: 50 })).toBe(a);
    expect(higherPeak(a, { connections: 6, at: 200 })).toEqual({ connections: 6, at: 200 });
    expect(higherPeak(a, { connections: 5, at: 50 })).toEqual({ connections: 5, at: 50 });
  });

  it('fills missing minutes with zeros and downsamples by summing (peaks by max)', () => {
    const rows = [
      { minute: T0 + MINUTE_MS, comments: 3, joins: 1, onlinePeak: 4, rateLimited: 0 },
      { minute: T0 + 3 * MINUTE_MS, comments: 2, joins: 0, onlinePeak: 7, rateLimited: 1 },
    ];
    const filled = fillSeries(rows, T0, T0 + 3 * MINUTE_MS + 5_000);
    expect(filled.map((r) => r.comments)).toEqual([0, 3, 0, 2]);
    expect(filled.map((r) => r.minute)).toEqual([0, 1, 2, 3].map((i) => T0 + i * MINUTE_MS));
    expect(downsample(filled, 2)).toEqual([
      { minute: T0, comments: 3, joins: 1, onlinePeak: 4, rateLimited: 0 },
      { minute: T0 + 2 * MINUTE_MS, comments: 2, joins: 0, onlinePeak: 7, rateLimited: 1 },
    ]);
  });
});
