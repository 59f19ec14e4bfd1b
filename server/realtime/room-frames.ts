import type { RoomEvent, RoomFrame } from '../../shared/contract.ts';
import { groupRoom, type IoServer } from './types.ts';

/** Below this many events a second a room gets no window at all (its events go out in their own turn). */
export const WINDOW_FROM_RATE = 10;
/** From this many events a second a room gets the whole window. */
export const FULL_WINDOW_RATE = 50;
/** A new room's assumed gap between events: at the quiet end (no window until traffic says otherwise). */
const INITIAL_GAP_MS = 1000 / WINDOW_FROM_RATE;
/** Weight of the newest gap in the moving average (a burst reaches the full window in ~8 events). */
const GAP_WEIGHT = 0.3;
/** Rooms idle this long are forgotten (their rate with them). */
const FORGET_AFTER_MS = 5_000;

interface RoomState {
  events: RoomEvent[];
  /** A flush is scheduled (end of the turn, or the end of the window). */
  scheduled: boolean;
  /** Until when traffic waits for the window (performance.now()); 0 when the room is quiet. */
  busyUntil: number;
  /** Moving average of the time between the room's events, ms. */
  gapMs: number;
  lastEventAt: number;
}

/**
 * The window a room of this traffic gets: none below WINDOW_FROM_RATE events a second, growing linearly
 * to `maxMs` at FULL_WINDOW_RATE. A window saves one write per member per frame it spares, which is
 * worth its latency only in a room busy enough to fill it: at 10 comments a second a 40 ms window put
 * ~40 % of the comments on hold and spared almost no frames (the max-rate search's first steps showed
 * p99 of 70–96 ms for it), at 50 a second a 60 ms window carries ~3 comments per frame (fan-out CPU
 * 0.42–0.50× the baseline against 0.59–0.73× with a fixed 40 ms; bench/README.md, change 22).
 */
export function windowFor(gapMs: number, maxMs: number): number {
  const rate = 1000 / Math.max(gapMs, 0.001);
  const share = (rate - WINDOW_FROM_RATE) / (FULL_WINDOW_RATE - WINDOW_FROM_RATE);
  return Math.round(maxMs * Math.min(1, Math.max(0, share)));
}

/**
 * Coalesces each room's traffic into one frame per member per window (protocol 2's `room` event).
 *
 * The cost of a broadcast is one socket write per member per frame (see bench/README.md), whatever
 * the frame holds, so sending a busy room's comments together divides the dominant cost; with the
 * Redis adapter it also means one publish per room per window instead of one per comment.
 *
 * A quiet room pays no delay: its first event goes out at the end of the current event-loop turn
 * (everything a write batch committed in that turn shares the frame). Only traffic arriving within the
 * room's window of its previous frame waits, at most that window, for the next one (Centrifugo's
 * write_delay, applied per room and scaled to the room's rate, see windowFor; at most `maxWindowMs`).
 */
export class RoomFrames {
  private readonly rooms = new Map<string, RoomState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Rooms whose frame goes out at the end of this turn: one setImmediate for all of them. */
  private due: string[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly send: (frame: RoomFrame) => void,
    private readonly maxWindowMs: number,
  ) {
    this.sweeper = setInterval(() => this.forgetIdle(), FORGET_AFTER_MS);
    this.sweeper.unref();
  }

  /** Rooms with traffic in the last few seconds (their rate is remembered). */
  get activeRooms(): number {
    return this.rooms.size;
  }

  push(roomId: string, event: RoomEvent): void {
    if (this.closed) return;
    const now = performance.now();
    let room = this.rooms.get(roomId);
    if (!room) {
      this.rooms.set(roomId, (room = { events: [], scheduled: false, busyUntil: 0, gapMs: INITIAL_GAP_MS, lastEventAt: now }));
    } else {
      const gap = Math.min(now - room.lastEventAt, 1_000);
      room.gapMs += GAP_WEIGHT * (gap - room.gapMs);
      room.lastEventAt = now;
    }
    room.events.push(event);
    if (room.scheduled) return;
    room.scheduled = true;
    const wait = room.busyUntil - now;
    if (wait > 0) this.later(roomId, wait);
    else if (this.due.push(roomId) === 1) setImmediate(this.flushDue);
  }

  /** Sends whatever is pending at once (graceful stop). */
  flushAll(): void {
    for (const roomId of [...this.rooms.keys()]) this.flush(roomId);
  }

  close(): void {
    this.flushAll();
    this.closed = true;
    this.due = [];
    clearInterval(this.sweeper);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.rooms.clear();
  }

  private readonly flushDue = (): void => {
    for (const roomId of this.due.splice(0)) this.flush(roomId);
  };

  private later(roomId: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.flush(roomId);
    }, ms);
    this.timers.add(timer);
  }

  private flush(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.scheduled = false;
    if (room.events.length === 0) return;
    const events = inSeqOrder(room.events);
    room.events = [];
    this.send({ roomId, events });
    const windowMs = windowFor(room.gapMs, this.maxWindowMs);
    room.busyUntil = windowMs > 0 ? performance.now() + windowMs : 0;
  }

  private forgetIdle(): void {
    const cutoff = performance.now() - FORGET_AFTER_MS;
    for (const [roomId, room] of this.rooms) {
      if (!room.scheduled && room.events.length === 0 && room.lastEventAt < cutoff) this.rooms.delete(roomId);
    }
  }
}

/**
 * Comments can be committed by concurrent write batches and resolve out of order; within a frame they
 * are put back in `seq` order (in the slots comments occupied, so other events keep their place).
 */
function inSeqOrder(events: RoomEvent[]): RoomEvent[] {
  const comments = events.filter((e) => e.type === 'say');
  if (comments.length < 2) return events;
  comments.sort((a, b) => a.seq - b.seq);
  let i = 0;
  return events.map((e) => (e.type === 'say' ? (comments[i++] as RoomEvent) : e));
}

/** The room frames of this server: each frame goes to the room's group on every instance. */
export function createRoomFrames(io: IoServer, maxWindowMs: number): RoomFrames {
  return new RoomFrames((frame) => io.to(groupRoom(frame.roomId)).emit('room', frame), maxWindowMs);
}
