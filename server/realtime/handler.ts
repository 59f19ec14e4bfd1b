import type { z } from 'zod';
import { LIMITS } from '../../shared/limits.ts';
import { AppError, toAckError, type Ack } from '../../shared/errors.ts';
import { parseOrThrow } from '../../shared/schemas.ts';
import type { Logger } from '../logger.ts';
import type { IoSocket } from './types.ts';

/**
 * Wraps a socket event handler: validates the payload, runs the service, acks `{ok, data}` or a coded
 * error. Nothing throws past this point, so one bad frame never costs the connection or the process.
 */
export function handler<S extends z.ZodType, T>(
  socket: IoSocket,
  log: Logger,
  event: string,
  schema: S,
  run: (payload: z.output<S>) => Promise<T>,
  after?: (data: T) => void,
) {
  return (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (a: Ack<T>) => void) : () => {};
    void (async () => {
      try {
        const data = await run(parseOrThrow(schema, payload));
        reply({ ok: true, data });
        after?.(data);
      } catch (err) {
        const ackErr = toAckError(err);
        if (ackErr.code === 'internal') log.error({ err, event, socket: socket.id }, 'socket handler failed');
        reply(ackErr);
      }
    })();
  };
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
