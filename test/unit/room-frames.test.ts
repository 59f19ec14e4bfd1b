import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Comment, RoomEvent, RoomFrame } from '../../shared/contract.ts';
import { RoomFrames, windowFor } from '../../server/realtime/room-frames.ts';

const comment = (seq: number, roomId = 'r'): Comment => ({
  type: 'say', replyTo: null, mentions: [], id: String(seq), roomId, seq, userId: 'u', userName: 'U', userTag: 'abcd',
  content: `c${seq}`, commentTime: new Date(0).toISOString(), clientMsgId: `cid-${seq}-xxxx`,
});
const presence = (connections: number): RoomEvent => ({ type: 'presence', roomId: 'r', connections, users: connections, list: [], partial: false });
const seqsOf = (f: RoomFrame | undefined) => f?.events.map((e): number | string => (e.type === 'say' ? e.seq : e.type));

function setup(windowMs = 60) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'setInterval', 'clearInterval', 'performance'] });
  const sent: RoomFrame[] = [];
  return { sent, frames: new RoomFrames((f) => sent.push(f), windowMs) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomFrames', () => {
  it('sends a quiet room\'s first event at the end of the current turn, with no window delay', () => {
    const { sent, frames } = setup();
    frames.push('r', comment(1));
    expect(sent).toHaveLength(0);
    vi.advanceTimersToNextTimer(); // the setImmediate
    expect(sent.map(seqsOf)).toEqual([[1]]);
  });

  it('puts everything pushed in one turn (one write batch) in one frame, comments in seq order', () => {
    const { sent, frames } = setup();
    frames.push('r', comment(3));
    frames.push('r', presence(2));
    frames.push('r', comment(1));
    frames.push('r', comment(2));
    vi.advanceTimersToNextTimer();
    expect(sent.map(seqsOf)).toEqual([[1, 'presence', 2, 3]]);
  });

  it('sizes the window by the room\'s rate: none below 10 events/s, the whole window from 50/s', () => {
    expect(windowFor(100, 60)).toBe(0);
    expect(windowFor(500, 60)).toBe(0);
    expect(windowFor(1000 / 30, 60)).toBe(30);
    expect(windowFor(20, 60)).toBe(60);
    expect(windowFor(1, 60)).toBe(60);
    expect(windowFor(1, 0)).toBe(0);
  });

  it('sends every event of a room at 5 events/s in its own turn, with no wait', () => {
    const { sent, frames } = setup(60);
    for (let i = 1; i <= 10; i++) {
      frames.push('r', comment(i));
      vi.advanceTimersToNextTimer(); // the setImmediate: out in this turn
      expect(sent.map(seqsOf).at(-1)).toEqual([i]);
      vi.advanceTimersByTime(200);
    }
    expect(sent).toHaveLength(10);
  });

  it('gathers a busy room\'s traffic (50 events/s) into frames of several, none waiting longer than the window', () => {
    setup(60);
    const sent: RoomFrame[] = [];
    const pushedAt = new Map<number, number>();
    const waited: number[] = [];
    const frames = new RoomFrames((f) => {
      sent.push(f);
      for (const e of f.events) if (e.type === 'say') waited.push(performance.now() - pushedAt.get(e.seq)!);
    }, 60);
    for (let i = 1; i <= 100; i++) {
      pushedAt.set(i, performance.now());
      frames.push('r', comment(i));
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(100);
    const seen = new Set(waited.map((_, i) => i));
    expect(seen.size).toBe(100);
    expect(sent.flatMap((f) => f.events.map((e) => (e.type === 'say' ? e.seq : -1)))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sent.length).toBeLessThan(50); // ~3 a frame once the rate is known
    expect(Math.max(...waited)).toBeLessThanOrEqual(60);
  });

  it('forgets a room that has been idle for a few seconds', () => {
    const { frames } = setup(60);
    frames.push('r', comment(1));
    vi.advanceTimersToNextTimer();
    expect(frames.activeRooms).toBe(1);
    vi.advanceTimersByTime(11_000);
    expect(frames.activeRooms).toBe(0);
    frames.close();
  });

  it('keeps rooms apart', () => {
    const { sent, frames } = setup();
    frames.push('a', comment(1, 'a'));
    frames.push('b', comment(1, 'b'));
    frames.push('a', comment(2, 'a'));
    vi.advanceTimersToNextTimer();
    vi.advanceTimersToNextTimer();
    expect(sent.map((f) => [f.roomId, seqsOf(f)])).toEqual([['a', [1, 2]], ['b', [1]]]);
  });

  it('with a 0 ms window coalesces only within one turn', () => {
    const { sent, frames } = setup(0);
    frames.push('r', comment(1));
    frames.push('r', comment(2));
    vi.advanceTimersToNextTimer();
    frames.push('r', comment(3));
    vi.advanceTimersToNextTimer();
    expect(sent.map(seqsOf)).toEqual([[1, 2], [3]]);
    expect(vi.getTimerCount()).toBe(1); // only the idle-room sweep
  });

  it('flushes what is pending on close and sends nothing afterwards', () => {
    const { sent, frames } = setup();
    frames.push('r', comment(1));
    vi.advanceTimersToNextTimer();
    frames.push('r', comment(2));
    frames.close();
    expect(sent.map(seqsOf)).toEqual([[1], [2]]);
    frames.push('r', comment(3));
    vi.runAllTimers();
    expect(sent).toHaveLength(2);
  });
});
