import type { Socket as NetSocket } from 'node:net';
import type { IoSocket } from './types.ts';

/**
 * The TCP socket under a connection when it is a WebSocket (engine.io's transport holds the ws
 * WebSocket as `socket`, and ws keeps the TCP socket as `_socket`), else null (polling). Both are
 * internals of engine.io 6.6 / ws 8: the one place that reaches for the TCP socket, for hold-writes.ts
 * and release-request.ts (direct-frames.ts and slow-consumers.ts read engine.io's queue and ws itself).
 */
export function tcpSocketOf(socket: IoSocket): NetSocket | null {
  const transport = (socket.conn as unknown as { transport?: { name?: string; socket?: { _socket?: NetSocket } } }).transport;
  return transport?.name === 'websocket' ? (transport.socket?._socket ?? null) : null;
}
