import { describe, expect, it } from 'vitest';
import { LaneAllocator } from '../../app/_lib/danmaku/lanes.ts';
import { isHidden } from '../../app/_lib/danmaku/settings.ts';

const opts = { lanes: 3, stageWidth: 800, speed: 100, gap: 20 };

describe('danmaku lanes: no overlap, drop instead of queueing', () => {
  it('fills lanes top first, and a lane is free again once the last comment has fully entered plus the gap', () => {
    const lanes = new LaneAllocator(opts);
    expect(lanes.place(180, 0)).toEqual({ lane: 0, durationMs: 9_800 }); // (800 + 180) px at 100 px/s
    expect(lanes.place(80, 0)?.lane).toBe(1);
    expect(lanes.place(80, 500)?.lane).toBe(2);
    // Lane 0 takes (180 + 20) / 100 s = 2 s to clear its entry; lane 1 1 s.
    expect(lanes.place(50, 999)).toBeNull();
    expect(lanes.place(50, 1_000)?.lane).toBe(1);
    expect(lanes.place(50, 2_000)?.lane).toBe(0);
  });

  it('never overlaps: at equal speed, each comment in a lane stays behind the previous one for its whole flight', () => {
    const lanes = new LaneAllocator({ ...opts, lanes: 4 });
    const flights: { lane: number; start: number; width: number }[] = [];
    let t = 0;
    for (let i = 0; i < 2_000; i++) {
      t += Math.random() * 40; // ~50 comments/s
      const width = 40 + Math.floor(Math.random() * 400);
      const at = lanes.place(width, t);
      if (at) flights.push({ lane: at.lane, start: t, width });
    }
    const byLane = new Map<number, typeof flights>();
    for (const f of flights) byLane.set(f.lane, [...(byLane.get(f.lane) ?? []), f]);
    for (const list of byLane.values()) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const cur = list[i]!;
        // When `cur` enters (x = stageWidth), prev's tail is at stageWidth + prev.width - speed·Δt: at least `gap` left of it.
        const prevTail = opts.stageWidth + prev.width - (opts.speed * (cur.start - prev.start)) / 1000;
        expect(prevTail).toBeLessThanOrEqual(opts.stageWidth - opts.gap + 1e-6);
      }
    }
  });

  it('drops a burst beyond what the lanes hold at once, and counts it; nothing waits for later', () => {
    const lanes = new LaneAllocator({ ...opts, lanes: 5 });
    const placed = Array.from({ length: 200 }, () => lanes.place(120, 10_000)).filter(Boolean);
    expect(placed).toHaveLength(5);
    expect(lanes.shown).toBe(5);
    expect(lanes.dropped).toBe(195);
    // A moment later only the lanes that cleared take new ones; the dropped 195 are not replayed.
    expect(lanes.place(120, 10_000 + 1_400)?.lane).toBe(0);
    expect(lanes.shown).toBe(6);
  });

  it('a smaller area or density keeps fewer lanes; a zero-sized stage shows nothing', () => {
    const lanes = new LaneAllocator(opts);
    lanes.configure({ ...opts, lanes: 1 });
    expect(lanes.lanes).toBe(1);
    expect(lanes.place(10, 0)?.lane).toBe(0);
    expect(lanes.place(10, 0)).toBeNull();
    lanes.configure({ ...opts, stageWidth: 0 });
    expect(lanes.place(10, 1e6)).toBeNull();
  });

  it('hidden words hide a comment whatever its case', () => {
    expect(isHidden('Spoiler: he dies', ['spoiler'])).toBe(true);
    expect(isHidden('nothing here', ['spoiler'])).toBe(false);
    expect(isHidden('anything', [])).toBe(false);
  });
});
