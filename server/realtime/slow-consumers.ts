import type { Logger } from '../logger.ts';
import type { IoServer, IoSocket } from './types.ts';

/** What engine.io and ws expose of a connection's outgoing queue (not in their typings). */
interface EngineConnection {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number } };
}

/**
 * Bytes accepted for this connection but not yet handed to the kernel: ws's buffered amount (the net
 * socket's user-space queue plus the frame sender's) and packets engine.io holds while the transport
 * is not writable (approximated by their string length; binary payloads are not used here).
 */
export function queuedBytes(socket: IoSocket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) if (typeof packet.data === 'string') bytes += packet.data.length;
  return bytes;
}

/**
 * Caps what a reader that stopped reading can cost. Every `intervalMs`, a connection whose outgoing
 * queue is over `maxBytes` is told `server:close {reason:'slow_consumer'}` and closed; it reconnects
 * and resumes by `seq`, so it loses nothing, and the server's memory for it is freed. (GatewayWorker
 * drops the messages over its send buffer instead: silent loss.) The kernel's socket buffers absorb
 * a few MB before this queue grows at all, so a briefly slow client is never cut.
 *
 * A periodic sweep rather than a check per write: the broadcast path stays one write per member, and
 * a queue can grow by at most one interval's traffic past the cap.
 */
export function watchSlowConsumers(
  io: IoServer,
  o: { maxBytes: number; intervalMs?: number; log: Logger; onClose?: () => void },
): { close(): void } {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const queued = queuedBytes(socket);
      if (queued <= o.maxBytes) continue;
      o.log.warn({ socket: socket.id, queuedBytes: queued }, 'slow consumer: closing the connection');
      socket.emit('server:close', { reason: 'slow_consumer' });
      socket.disconnect(true);
      o.onClose?.();
    }
  }, o.intervalMs ?? 1_000);
  timer.unref();
  return { close: () => clearInterval(timer) };
}

/** Bytes queued for every connection of this instance (a metric). */
export function totalQueuedBytes(io: IoServer): number {
  let total = 0;
  for (const socket of io.of('/').sockets.values()) total += queuedBytes(socket);
  return total;
}

/**
 * Resolves once no connection has anything queued (engine.io's packets handed to the kernel), or after
 * `maxMs`: the graceful stop's last words (the shutdown notice, the final acks) must leave before the
 * connections close, but a reader that stopped reading must not hold the stop up.
 */
export async function queuesFlushed(io: IoServer, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (totalQueuedBytes(io) > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
