import type { Socket as NetSocket } from 'node:net';
import { tcpSocketOf } from './engine-socket.ts';
import type { IoSocket } from './types.ts';

/**
 * Connections whose writes are held (corked) until a release in this turn's check phase, so what the
 * turn writes to each leaves in one syscall. Every write is a syscall, and on these servers the writes
 * are most of the CPU (bench/README.md).
 */
class WriteHold {
  private readonly held: NetSocket[] = [];
  private scheduled = false;
  private readonly releaseBound = () => this.release();

  hold(tcp: NetSocket): void {
    tcp.cork();
    this.held.push(tcp);
  }

  /** Releases in this turn's check phase (setImmediate callbacks run in the order they were queued). */
  releaseAfterThisTurn(): void {
    if (this.scheduled || this.held.length === 0) return;
    this.scheduled = true;
    setImmediate(this.releaseBound);
  }

  release(): void {
    this.scheduled = false;
    for (const s of this.held.splice(0)) s.uncork();
  }
}

/** A comment's ack, held for its room frame. */
const acks = new WriteHold();
/**
 * A new connection's handshake replies. Apart from `acks`: an ack's release must come after its room
 * frame's flush, queued later in the same turn, and a handshake's release, queued first, would let the
 * ack go alone.
 */
const handshakes = new WriteHold();

/**
 * Releases every held connection now. The graceful stop calls it: with PGlite, whose queries resolve
 * in microtasks, a stop can run from the signal to process exit without another check phase, and the
 * held acks, the shutdown notice behind them and every packet engine.io queued meanwhile were lost (the
 * lifecycle test's SIGTERM case caught it: 83 corks, release still scheduled, at exit).
 */
export function releaseHeldWrites(): void {
  acks.release();
  handshakes.release();
}

/**
 * Holds what is written to this connection (the comment's ack, next) until the release that
 * `releaseHeldWritesAfterFrames` schedules. The sender is a member of its room, so the room frame that
 * carries its comment follows the ack in the same turn (room-frames.ts flushes a quiet room at the end
 * of the turn): held together they leave in one `writev` instead of two.
 */
export function holdWrites(socket: IoSocket): void {
  const tcp = tcpSocketOf(socket);
  if (tcp) acks.hold(tcp);
}

/**
 * Releases every held connection in this turn's check phase. Call it after the room frame was pushed:
 * setImmediate callbacks run in order, so the release comes after the frames' flush (one setImmediate
 * per turn for every room, room-frames.ts). A frame that waits for its room's window simply follows later.
 */
export function releaseHeldWritesAfterFrames(): void {
  acks.releaseAfterThisTurn();
}

/**
 * Holds a connection's writes for the rest of this turn, for the handshake's two round trips: the
 * upgrade's `101` response and engine.io's open packet, then Socket.IO's connect packet and the `init`
 * event. Each pair is written in one turn (engine.io's handshake and Socket.IO's connect finish in
 * microtasks and ticks), so held, each leaves in one syscall instead of two, and the client wakes once.
 */
export function holdHandshakeWrites(tcp: NetSocket): void {
  handshakes.hold(tcp);
  handshakes.releaseAfterThisTurn();
}
