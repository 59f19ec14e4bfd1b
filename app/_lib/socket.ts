'use client';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/shared/contract';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | undefined;

/** One connection per tab, shared by every component (the server authenticates it with the session cookie). */
export function getSocket(): LiveSocket {
  socket ??= io({ withCredentials: true, transports: ['websocket', 'polling'], reconnectionDelayMax: 5_000 });
  return socket;
}

/** Reconnects so the handshake picks up a new session cookie (after choosing a name). */
export function reconnectSocket(): void {
  const s = getSocket();
  s.disconnect();
  s.connect();
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';
