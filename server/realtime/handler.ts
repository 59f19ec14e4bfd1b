import type { z } from 'zod';
import { LIMITS } from '../../shared/limits.ts';
import { AppError, toAckError, type Ack } from '../../shared/errors.ts';
import { parseOrThrow } from '../../shared/schemas.ts';
import type { Logger } from '../logger.ts';
import type { IoSocket } from './types.ts';

/** A socket event listener shared by every connection: Socket.IO calls it with `this` = the socket. */
export type SharedListener = (this: IoSocket, payload: unknown, ack: unknown) => void;

/**
 * Builds one event's listener: validates the payload, runs the service, acks `{ok, data}` or a coded
 * error. Nothing throws past this point, so one bad frame never costs the connection or the process.
 *
 * The listener is built once per server and registered on every socket, instead of one closure per
 * socket per event: with thousands of viewers the closures (and their contexts) were a measurable part
 * of each connection's heap.
 */
export function listener<S extends z.ZodType, T>(
  log: Logger,
  event: string,
  schema: S,
  run: (socket: IoSocket, payload: z.output<S>) => Promise<T>,
  after?: (data: T) => void,
): SharedListener {
  async function handle(socket: IoSocket, payload: unknown, reply: (a: Ack<T>) => void): Promise<void> {
    try {
      const data = await run(socket, parseOrThrow(schema, payload));
      reply({ ok: true, data });
      after?.(data);
    } catch (err) {
      const ackErr = toAckError(err);
      if (ackErr.code === 'internal') log.error({ err, event, socket: socket.id }, 'socket handler failed');
      reply(ackErr);
    }
  }
  return function (this: IoSocket, payload: unknown, ack: unknown) {
    void handle(this, payload, typeof ack === 'function' ? (ack as (a: Ack<T>) => void) : () => {});
  };
}

/** Registers shared listeners on a socket (no per-socket closures). */
export function listen(socket: IoSocket, listeners: Readonly<Record<string, SharedListener>>): void {
  for (const [event, fn] of Object.entries(listeners)) (socket as unknown as { on(e: string, f: SharedListener): void }).on(event, fn);
}

/**
 * Socket middleware (one shared function, not one per connection): rejects oversized events with a
 * coded ack before any handler sees them. (engine.io's own cap, LIMITS.transportMaxBytes, closes the
 * connection; this lower one answers and keeps it open.)
 */
export function payloadSizeGuard(packet: unknown[], next: (err?: Error) => void): void {
  const ack = packet[packet.length - 1];
  // Bytes as they travel (UTF-8), not string length: multi-byte text must not slip past the cap.
  let size = 0;
  for (const arg of packet) {
    if (typeof arg === 'function') continue;
    if (typeof arg === 'string') size += Buffer.byteLength(arg);
    else if (arg !== null && typeof arg === 'object') size += Buffer.byteLength(JSON.stringify(arg));
    if (size > LIMITS.eventMaxBytes) break;
  }
  if (size <= LIMITS.eventMaxBytes) return next();
  const err = toAckError(new AppError('payload_too_large', `Events are limited to ${LIMITS.eventMaxBytes} bytes.`));
  if (typeof ack === 'function') (ack as (a: unknown) => void)(err);
}
