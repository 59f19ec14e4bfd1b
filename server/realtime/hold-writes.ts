import type { Socket as NetSocket } from 'node:net';
import { tcpSocketOf } from './engine-socket.ts';
import type { IoSocket } from './types.ts';

const held: NetSocket[] = [];
let scheduled = false;

/**
 * Releases every held connection now. The graceful stop calls it: with PGlite, whose queries resolve
 * in microtasks, a stop can run from the signal to process exit without another check phase, and the
 * held acks, the shutdown notice behind them and every packet engine.io queued meanwhile were lost (the
 * lifecycle test's SIGTERM case caught it: 83 corks, release still scheduled, at exit).
 */
export function releaseHeldWrites(): void {
  scheduled = false;
  for (const s of held.splice(0)) s.uncork();
}

/**
 * Holds what is written to this connection (the comment's ack, next) until the release that
 * `releaseHeldWritesAfterFrames` schedules. The sender is a member of its room, so the room frame that
 * carries its comment follows the ack in the same turn (room-frames.ts flushes a quiet room at the end
 * of the turn): held together they leave in one `writev` instead of two, and every per-member write is
 * a syscall (bench/README.md).
 */
export function holdWrites(socket: IoSocket): void {
  const tcp = tcpSocketOf(socket);
  if (!tcp) return;
  tcp.cork();
  held.push(tcp);
}

/**
 * Releases every held connection in this turn's check phase. Call it after the room frame was pushed:
 * setImmediate callbacks run in order, so the release comes after the frames' flush (one setImmediate
 * per turn for every room, room-frames.ts). A frame that waits for its room's window simply follows later.
 */
export function releaseHeldWritesAfterFrames(): void {
  if (scheduled || held.length === 0) return;
  scheduled = true;
  setImmediate(releaseHeldWrites);
}
