'use client';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/shared/contract';
import { getEmbedToken } from './embed-token';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

let socket: LiveSocket | undefined;
/** Why the server closed this connection on purpose (a kick), for the banner; null otherwise. */
let closedReason: string | null = null;

export function getClosedReason(): string | null {
  return closedReason;
}

/** One connection per tab, shared by every component (the server authenticates it with the session cookie). */
export function getSocket(): LiveSocket {
  socket ??= createLiveSocket();
  return socket;
}

/** The connection with the app's reconnect rules; `url` and `options` let tests aim it at a test server. */
export function createLiveSocket(url?: string, options: Parameters<typeof io>[1] = {}): LiveSocket {
  const opts = {
    withCredentials: true,
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 5_000,
    // Read at every (re)connect: the embedded chat's token once it has one (else the cookie applies).
    auth: (cb: (data: object) => void) => {
      const token = getEmbedToken();
      cb(token ? { token } : {});
    },
    ...options,
  };
  const s: LiveSocket = url ? io(url, opts) : io(opts);
  let reconnectAfterMs: number | null = null;
  // A stopping instance says so first: reconnect (the load balancer picks a live one) after its jittered
  // delay. Socket.IO does not reconnect by itself after a server-side disconnect.
  s.on('server:shutdown', ({ reconnectInMs }) => (reconnectAfterMs = reconnectInMs));
  s.on('server:close', ({ message, reason }) => {
    // Fell behind (the server caps what it queues for one connection): reconnect at once; the rooms
    // re-join with their last seq and replay what was missed.
    if (reason === 'slow_consumer') {
      reconnectAfterMs = 200 + Math.floor(Math.random() * 800);
      return;
    }
    reconnectAfterMs = null;
    closedReason = typeof message === 'string' && message ? message : reason;
  });
  s.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect' || reconnectAfterMs === null) return;
    const delay = reconnectAfterMs;
    reconnectAfterMs = null;
    setTimeout(() => s.connect(), delay);
  });
  s.on('connect', () => (closedReason = null));
  return s;
}

/** Reconnects so the handshake picks up a new session cookie (after choosing a name), or after a kick. */
export function reconnectSocket(): void {
  const s = getSocket();
  closedReason = null;
  s.disconnect();
  s.connect();
}
