import { Socket } from 'socket.io';
import type { SharedListener } from './handler.ts';
import type { IoServer, IoSocket } from './types.ts';

/** Each Socket.IO server's routes; a socket finds its own through `socket.nsp.server`. */
const routesByServer = new WeakMap<object, Map<string, SharedListener>>();

function dispatch(this: IoSocket, event: string, payload?: unknown, ack?: unknown): void {
  routesByServer.get(this.nsp.server)?.get(event)?.call(this, payload, ack);
}

/**
 * The catch-all listener list, set ONCE on Socket.IO's Socket prototype instead of on each socket.
 * Socket.IO only reads `_anyListeners` when an event arrives (it copies it, then calls each listener
 * with the socket as `this`). Given to each socket, the property is added after the constructor ran,
 * which moved every Socket's properties into a separate out-of-object store, and `onAny` grew a fresh
 * 17-slot array per socket (heap snapshots, bench/README.md); on the prototype it costs a socket nothing.
 * Frozen and read-only: a stray socket.onAny/offAny throws instead of changing every socket's listeners.
 */
function installDispatcher(): void {
  const proto = Socket.prototype as unknown as { _anyListeners?: readonly unknown[] };
  if (Object.prototype.hasOwnProperty.call(proto, '_anyListeners')) return;
  Object.defineProperty(proto, '_anyListeners', { value: Object.freeze([dispatch]), writable: false, enumerable: false });
}

/**
 * Routes every client event of every connection through one shared catch-all listener, to the
 * listeners feature modules add here. A socket with fifteen `socket.on` listeners kept its events in a
 * dictionary of ~830 B (measured with heap snapshots, bench/README.md). Socket.IO passes the ack as the
 * last argument, as it does to `on` listeners.
 */
export class EventRouter {
  private readonly routes = new Map<string, SharedListener>();

  constructor(io: IoServer) {
    installDispatcher();
    routesByServer.set(io, this.routes);
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
