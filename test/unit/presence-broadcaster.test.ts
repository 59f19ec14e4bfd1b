import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryPresenceStore, type PresenceEntry, type PresenceSnapshot } from '../../server/presence/presence.store.ts';
import { PresenceBroadcaster, presenceGapMs } from '../../server/realtime/presence-broadcaster.ts';
import type { Presence } from '../../shared/contract.ts';
import { LIMITS } from '../../shared/limits.ts';

const entry = (socketId: string, userId: string | null, name = userId ?? ''): PresenceEntry => ({ socketId, userId, name, tag: `t-${name}` });

/** A memory store whose snapshot fails for the rooms listed in `failing`. */
class FlakyStore extends MemoryPresenceStore {
  readonly failing = new Set<string>();
  override async snapshot(roomId: string, listMax: number): Promise<PresenceSnapshot> {
    if (this.failing.has(roomId)) throw new Error(`store down for ${roomId}`);
    return super.snapshot(roomId, listMax);
  }
}

function setup(opts: { intervalMs?: number; emit?: (p: Presence) => void } = {}) {
  const store = new FlakyStore();
  const sent: Presence[] = [];
  const log = pino({ level: 'silent' });
  const warn = vi.spyOn(log, 'warn');
  const emit = opts.emit ?? ((p: Presence) => void sent.push(p));
  const broadcaster =
    opts.intervalMs === undefined ? new PresenceBroadcaster(store, emit, log) : new PresenceBroadcaster(store, emit, log, opts.intervalMs);
  return { store, sent, warn, broadcaster };
}

describe('PresenceBroadcaster', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a dirty room once per interval (250 ms by default) however often it was marked', async () => {
    const { store, sent, broadcaster } = setup();
    await store.add('r1', entry('s1', 'u1', 'Ana'));
    for (let i = 0; i < 50; i++) broadcaster.markDirty('r1');
    await vi.advanceTimersByTimeAsync(249);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([
      { roomId: 'r1', connections: 1, users: 1, list: [{ userId: 'u1', name: 'Ana', tag: 't-Ana', connections: 1 }], partial: false },
    ]);
    broadcaster.close();
  });

  it('reuses one snapshot for the joins of one interval (filling a big room must not sort it per join)', async () => {
    const { store, broadcaster } = setup();
    const snapshot = vi.spyOn(store, 'snapshot');
    await store.add('r1', entry('s1', 'u1', 'Ana'));
    const first = await Promise.all(Array.from({ length: 100 }, () => broadcaster.current('r1')));
    expect(snapshot).toHaveBeenCalledTimes(1);
    expect(first.every((p) => p.connections === 1)).toBe(true);
    await store.add('r1', entry('s2', 'u2', 'Bo'));
    await vi.advanceTimersByTimeAsync(250); // one interval later the snapshot is taken again
    expect((await broadcaster.current('r1')).connections).toBe(2);
    expect(snapshot).toHaveBeenCalledTimes(2);
    broadcaster.close();
  });

  it('sends nothing for a room that was not marked again', async () => {
    const { store, sent, broadcaster } = setup();
    await store.add('r1', entry('s1', 'u1'));
    broadcaster.markDirty('r1');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toHaveLength(1);
    await store.add('r1', entry('s2', 'u2')); // changed, but nobody marked it
    await vi.advanceTimersByTimeAsync(2_500);
    expect(sent).toHaveLength(1);
    broadcaster.markDirty('r1');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.connections).toBe(2);
    broadcaster.close();
  });

  it('sends the presence as it is when sent, not as it was when marked', async () => {
    const { store, sent, broadcaster } = setup();
    await store.add('r1', entry('s1', 'u1'));
    broadcaster.markDirty('r1');
    await store.add('r1', entry('s2', 'u1'));
    await store.add('r1', entry('s3', null));
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ roomId: 'r1', connections: 3, users: 1 });
    expect(sent[0]?.list).toEqual([expect.objectContaining({ userId: 'u1', connections: 2 })]);
    broadcaster.close();
  });

  it('sends one frame per dirty room, each with its own room id and counts', async () => {
    const { store, sent, broadcaster } = setup();
    await store.add('r1', entry('s1', 'u1'));
    await store.add('r2', entry('s2', 'u2'));
    await store.add('r2', entry('s3', 'u3'));
    broadcaster.markDirty('r1');
    broadcaster.markDirty('r2');
    broadcaster.markDirty('r1');
    broadcaster.markDirty('empty'); // everyone left: a zero count must still go out
    await vi.advanceTimersByTimeAsync(250);
    const byRoom = new Map(sent.map((p) => [p.roomId, p]));
    expect(sent).toHaveLength(3);
    expect(byRoom.get('r1')).toMatchObject({ connections: 1, users: 1 });
    expect(byRoom.get('r2')).toMatchObject({ connections: 2, users: 2 });
    expect(byRoom.get('empty')).toEqual({ roomId: 'empty', connections: 0, users: 0, list: [], partial: false });
    broadcaster.close();
  });

  it('honours a custom interval', async () => {
    const { store, sent, broadcaster } = setup({ intervalMs: 1_000 });
    await store.add('r1', entry('s1', 'u1'));
    broadcaster.markDirty('r1');
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
    broadcaster.close();
  });

  it('current() answers the room id and snapshot at once, the list capped at LIMITS.onlineListMax', async () => {
    const { store, sent, broadcaster } = setup();
    const crowd = LIMITS.onlineListMax + 5;
    for (let i = 0; i < crowd; i++) await store.add('big', entry(`s${i}`, `u${String(i).padStart(3, '0')}`));
    await store.add('big', entry('s-extra', 'u050')); // a second tab: this user is listed first
    const p = await broadcaster.current('big');
    expect(p).toMatchObject({ roomId: 'big', connections: crowd + 1, users: crowd, partial: false });
    expect(p.list).toHaveLength(LIMITS.onlineListMax);
    expect(p.list[0]).toEqual({ userId: 'u050', name: 'u050', tag: 't-u050', connections: 2 });
    expect(new Set(p.list.map((u) => u.userId)).size).toBe(LIMITS.onlineListMax); // one entry per user
    expect(sent).toEqual([]); // current() is a read, not a broadcast
    broadcaster.close();
  });

  it('logs a room whose presence cannot be read and still sends the other dirty rooms', async () => {
    const { store, sent, warn, broadcaster } = setup();
    await store.add('ok', entry('s1', 'u1'));
    store.failing.add('bad');
    broadcaster.markDirty('bad');
    broadcaster.markDirty('ok');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((p) => p.roomId)).toEqual(['ok']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ err: 'store down for bad', roomId: 'bad' }, 'presence broadcast failed');
    // It keeps working: once the store answers, the next mark is sent.
    store.failing.clear();
    broadcaster.markDirty('bad');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((p) => p.roomId)).toEqual(['ok', 'bad']);
    broadcaster.close();
  });

  it('an emit that throws for one room neither stops the others nor the timer', async () => {
    const sent: Presence[] = [];
    const { store, warn, broadcaster } = setup({
      emit: (p) => {
        if (p.roomId === 'cursed') throw new Error('emit exploded');
        sent.push(p);
      },
    });
    broadcaster.markDirty('cursed');
    broadcaster.markDirty('fine');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((p) => p.roomId)).toEqual(['fine']);
    expect(warn).toHaveBeenCalledWith({ err: 'emit exploded', roomId: 'cursed' }, 'presence broadcast failed');
    await store.add('fine', entry('s1', 'u1'));
    broadcaster.markDirty('fine');
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((p) => p.connections)).toEqual([0, 1]);
    broadcaster.close();
  });

  it('close() stops the timer: pending rooms are not sent', async () => {
    const { store, sent, broadcaster } = setup();
    await store.add('r1', entry('s1', 'u1'));
    expect(vi.getTimerCount()).toBe(1);
    broadcaster.markDirty('r1');
    broadcaster.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toEqual([]);
  });

  it('spaces a big room\'s frames by its size (one interval per hundred connections, at most 2 s), a small room\'s not', async () => {
    expect(presenceGapMs(100, 250)).toBe(250);
    expect(presenceGapMs(300, 250)).toBe(750);
    expect(presenceGapMs(5_000, 250)).toBe(2_000);
    const { store, sent, broadcaster } = setup();
    for (let i = 0; i < 300; i++) await store.add('big', entry(`b${i}`, `u${i}`));
    await store.add('small', entry('s1', 'x1'));
    const at: Record<string, number[]> = { big: [], small: [] };
    const started = Date.now();
    // Joins and leaves all the time for 3 s.
    for (let t = 0; t < 3_000; t += 50) {
      broadcaster.markDirty('big');
      broadcaster.markDirty('small');
      await vi.advanceTimersByTimeAsync(50);
      while (sent.length) {
        const p = sent.shift()!;
        at[p.roomId]!.push(Date.now() - started);
      }
    }
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);
    expect(at.small!.length).toBeGreaterThanOrEqual(11);
    expect(Math.min(...gaps(at.big!))).toBeGreaterThanOrEqual(750);
    expect(at.big!.length).toBeGreaterThanOrEqual(3); // still refreshed: within 750 ms + one tick
    broadcaster.close();
  });
});
