import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Comment, RoomEvent, RoomFrame } from '../../shared/contract.ts';
import { RoomFrames } from '../../server/realtime/room-frames.ts';

const comment = (seq: number, roomId = 'r'): Comment => ({
  type: 'say', replyTo: null, mentions: [], id: String(seq), roomId, seq, userId: 'u', userName: 'U', userTag: 'abcd',
  content: `c${seq}`, commentTime: new Date(0).toISOString(), clientMsgId: `cid-${seq}-xxxx`,
});
const presence = (connections: number): RoomEvent => ({ type: 'presence', roomId: 'r', connections, users: connections, list: [], partial: false });
const seqsOf = (f: RoomFrame | undefined) => f?.events.map((e): number | string => (e.type === 'say' ? e.seq : e.type));

function setup(windowMs = 40) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
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

  it('gathers a busy room\'s traffic for one window, then goes quiet after an empty window', () => {
    const { sent, frames } = setup(40);
    frames.push('r', comment(1));
    vi.advanceTimersToNextTimer();
    vi.advanceTimersByTime(10);
    frames.push('r', comment(2));
    vi.advanceTimersByTime(10);
    frames.push('r', comment(3));
    vi.advanceTimersByTime(19);
    expect(sent.map(seqsOf)).toEqual([[1]]);
    vi.advanceTimersByTime(1); // 40 ms after the first frame
    expect(sent.map(seqsOf)).toEqual([[1], [2, 3]]);
    vi.advanceTimersByTime(40); // an empty window: quiet again
    frames.push('r', comment(4));
    vi.advanceTimersToNextTimer();
    expect(sent.map(seqsOf)).toEqual([[1], [2, 3], [4]]);
    expect(vi.getTimerCount()).toBe(1); // only the new window's timer
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
    expect(vi.getTimerCount()).toBe(0);
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
