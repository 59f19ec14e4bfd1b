import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinNoticeCoalescer } from '../../server/realtime/join-notices.ts';
import type { JoinNotice } from '../../shared/contract.ts';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const user = (name: string) => ({ id: `id-${name}`, name });

/** A coalescer whose notices land in `sent`. */
function setup(windowMs?: number) {
  const sent: JoinNotice[] = [];
  const coalescer = windowMs === undefined ? new JoinNoticeCoalescer((n) => sent.push(n)) : new JoinNoticeCoalescer((n) => sent.push(n), windowMs);
  return { sent, coalescer };
}

describe('JoinNoticeCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces the first join in a quiet room at once, as a complete notice', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    expect(sent).toEqual([
      { type: 'join', roomId: 'r1', userName: 'Ana', userId: 'id-Ana', msg: 'enters the Room', joinTime: at(0), names: ['Ana'], others: 0 },
    ]);
    coalescer.close();
  });

  it('folds the joins of the following window (1 s by default) into one notice sent when it ends', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    vi.advanceTimersByTime(100);
    coalescer.join('r1', user('Bo'));
    vi.advanceTimersByTime(400);
    coalescer.join('r1', user('Cy'));
    vi.advanceTimersByTime(499); // t = 999 ms
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1); // t = 1000 ms: the window ends
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({
      type: 'join',
      roomId: 'r1',
      userName: 'Bo',
      userId: null, // several people: no single user to point at
      msg: 'enters the Room',
      joinTime: at(1000),
      names: ['Bo', 'Cy'],
      others: 0,
    });
    coalescer.close();
  });

  it('names at most five people per notice and counts the rest as others', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('First'));
    const crowd = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    for (const name of crowd) coalescer.join('r1', user(name));
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ userName: 'A', userId: null, names: ['A', 'B', 'C', 'D', 'E'], others: 3 });
    coalescer.close();
  });

  it('names exactly five without others when five joined', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('First'));
    for (const name of ['A', 'B', 'C', 'D', 'E']) coalescer.join('r1', user(name));
    vi.advanceTimersByTime(1000);
    expect(sent[1]).toMatchObject({ names: ['A', 'B', 'C', 'D', 'E'], others: 0 });
    coalescer.close();
  });

  it('a join storm costs two notices per window, not one per join', () => {
    const { sent, coalescer } = setup();
    for (let i = 0; i < 500; i++) coalescer.join('r1', user(`Fan${i}`));
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ names: ['Fan1', 'Fan2', 'Fan3', 'Fan4', 'Fan5'], others: 494 });
  });

  it('a folded notice about one person carries that user id', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    coalescer.join('r1', user('Bo'));
    vi.advanceTimersByTime(1000);
    expect(sent[1]).toMatchObject({ userName: 'Bo', userId: 'id-Bo', names: ['Bo'], others: 0 });
    coalescer.close();
  });

  it('keeps folding while joins keep coming, and announces at once again after a quiet window', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana')); // t = 0: at once
    vi.advanceTimersByTime(500);
    coalescer.join('r1', user('Bo')); // folded
    vi.advanceTimersByTime(500); // t = 1000: [Bo] sent, a new window opens
    expect(sent.map((n) => n.names)).toEqual([['Ana'], ['Bo']]);
    vi.advanceTimersByTime(500);
    coalescer.join('r1', user('Cy')); // t = 1500: inside the new window, so folded too
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(500); // t = 2000
    expect(sent.map((n) => n.names)).toEqual([['Ana'], ['Bo'], ['Cy']]);
    expect(sent[2]?.joinTime).toBe(at(2000));
    vi.advanceTimersByTime(1000); // t = 3000: a window with no join closes silently
    expect(sent).toHaveLength(3);
    vi.advanceTimersByTime(500);
    coalescer.join('r1', user('Dee')); // t = 3500: quiet room again, at once
    expect(sent).toHaveLength(4);
    expect(sent[3]).toMatchObject({ names: ['Dee'], userId: 'id-Dee', joinTime: at(3500) });
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(4); // nothing else was pending
  });

  it('leaves no timer behind once a room is quiet', () => {
    const { coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one window per room', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    vi.advanceTimersByTime(100);
    coalescer.join('r2', user('Bo')); // another room's window does not delay this one
    expect(sent.map((n) => [n.roomId, n.names])).toEqual([['r1', ['Ana']], ['r2', ['Bo']]]);
    coalescer.join('r1', user('Cy'));
    coalescer.join('r2', user('Dee'));
    coalescer.join('r2', user('Eve'));
    vi.advanceTimersByTime(900); // t = 1000: r1's window ends, r2's has 100 ms left
    expect(sent.slice(2)).toEqual([expect.objectContaining({ roomId: 'r1', names: ['Cy'], others: 0 })]);
    vi.advanceTimersByTime(100);
    expect(sent.slice(3)).toEqual([expect.objectContaining({ roomId: 'r2', names: ['Dee', 'Eve'], others: 0 })]);
    coalescer.close();
  });

  it('honours a custom window length', () => {
    const { sent, coalescer } = setup(200);
    coalescer.join('r1', user('Ana'));
    coalescer.join('r1', user('Bo'));
    vi.advanceTimersByTime(199);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(200); // the following window, empty, closes
    coalescer.join('r1', user('Cy'));
    expect(sent).toHaveLength(3);
    coalescer.close();
  });

  it('close() drops pending notices and clears every timer', () => {
    const { sent, coalescer } = setup();
    coalescer.join('r1', user('Ana'));
    coalescer.join('r1', user('Bo'));
    coalescer.join('r2', user('Cy'));
    expect(vi.getTimerCount()).toBe(2);
    coalescer.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(sent.map((n) => n.names)).toEqual([['Ana'], ['Cy']]);
  });
});
