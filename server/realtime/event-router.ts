import type { SharedListener } from './handler.ts';
import type { IoServer, IoSocket } from './types.ts';

/**
 * Routes every client event of every connection through ONE shared `onAny` listener per socket, to the
 * listeners feature modules add here. A socket with fifteen `socket.on` listeners kept its events in a
 * dictionary of ~830 B (measured with heap snapshots, bench/README.md); the shared `onAny` array
 * below costs a socket one pointer. Socket.IO passes the ack as the last argument, as it does to `on` listeners.
 */
export class EventRouter {
  private readonly routes = new Map<string, SharedListener>();

  constructor(io: IoServer) {
    const routes = this.routes;
    function dispatch(this: IoSocket, event: string, payload?: unknown, ack?: unknown): void {
      routes.get(event)?.call(this, payload, ack);
    }
    // One frozen listener array shared by every socket, set where onAny would push into a fresh array per
    // socket (grown to 17 slots: ~150 B per viewer). Socket.IO only reads it (it copies it before each
    // dispatch, with the socket as `this`); frozen, so a stray socket.onAny/offAny fails loudly instead
    // of changing every socket's listeners.
    const shared = Object.freeze([dispatch]);
    io.on('connection', (socket) => {
      (socket as unknown as { _anyListeners: readonly unknown[] })._anyListeners = shared;
    });
  }

  /** The listener of an event (for other transports that run the same pipeline, e.g. seed pages). */
  get(event: string): SharedListener | undefined {
    return this.routes.get(event);
  }

  /** Adds a module's events; each event has exactly one owner. */
  add(listeners: Readonly<Record<string, SharedListener>>): void {
    for (const [event, listener] of Object.entries(listeners)) {
      if (this.routes.has(event)) throw new Error(`socket event "${event}" is already handled`);
      this.routes.set(event, listener);
    }
  }
}
