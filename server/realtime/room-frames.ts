import type { RoomEvent, RoomFrame } from '../../shared/contract.ts';
import { groupRoom, type IoServer } from './types.ts';

interface Pending {
  events: RoomEvent[];
  /** A flush is scheduled (next turn of the event loop, or the end of the window). */
  scheduled: boolean;
  /** The room sent a frame less than a window ago: further traffic waits for the window's end. */
  busy: boolean;
}

/**
 * Coalesces each room's traffic into one frame per member per window (protocol 2's `room` event).
 *
 * The cost of a broadcast is one socket write per member per frame (see bench/README.md), whatever
 * the frame holds, so sending a busy room's comments together divides the dominant cost; with the
 * Redis adapter it also means one publish per room per window instead of one per comment.
 *
 * A quiet room pays no delay: its first event goes out at the end of the current event-loop turn
 * (everything a write batch committed in that turn shares the frame). Only traffic arriving within
 * `windowMs` of the previous frame waits, at most `windowMs`, for the next one (Centrifugo's
 * write_delay, applied per room rather than per connection).
 */
export class RoomFrames {
  private readonly rooms = new Map<string, Pending>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Rooms whose first event of a quiet spell goes out at the end of this turn: one setImmediate for all. */
  private due: string[] = [];
  private closed = false;

  constructor(
    private readonly send: (frame: RoomFrame) => void,
    private readonly windowMs: number,
  ) {}

  push(roomId: string, event: RoomEvent): void {
    if (this.closed) return;
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = { events: [], scheduled: false, busy: false }));
    room.events.push(event);
    if (room.scheduled) return;
    room.scheduled = true;
    if (room.busy) return; // the window's timer flushes it
    if (this.due.push(roomId) === 1) setImmediate(this.flushDue);
  }

  private readonly flushDue = (): void => {
    for (const roomId of this.due.splice(0)) this.flush(roomId);
  };

  /** Sends whatever is pending at once (graceful stop). */
  flushAll(): void {
    for (const roomId of [...this.rooms.keys()]) this.flush(roomId);
  }

  close(): void {
    this.flushAll();
    this.closed = true;
    this.due = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.rooms.clear();
  }

  private flush(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.scheduled = false;
    if (room.events.length === 0) {
      // A whole window without traffic: the room is quiet again.
      this.rooms.delete(roomId);
      return;
    }
    const events = inSeqOrder(room.events);
    room.events = [];
    this.send({ roomId, events });
    if (this.windowMs === 0) {
      this.rooms.delete(roomId);
      return;
    }
    room.busy = true;
    room.scheduled = true;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.flush(roomId);
    }, this.windowMs);
    this.timers.add(timer);
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
export function createRoomFrames(io: IoServer, windowMs: number): RoomFrames {
  return new RoomFrames((frame) => io.to(groupRoom(frame.roomId)).emit('room', frame), windowMs);
}
