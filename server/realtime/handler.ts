import type { z } from 'zod';
import { LIMITS } from '../../shared/limits.ts';
import { AppError, toAckError, type Ack } from '../../shared/errors.ts';
import { parseOrThrow } from '../../shared/schemas.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/errors.ts';
import type { Logger } from '../logger.ts';
import type { AckObserver } from '../metrics/metrics.ts';
import { holdWrites, releaseHeldWritesAfterFrames } from './hold-writes.ts';
import { withEncoding } from './packet-encoder.ts';
import type { IoSocket } from './types.ts';

/** A socket event listener shared by every connection: Socket.IO calls it with `this` = the socket. */
export type SharedListener = (this: IoSocket, payload: unknown, ack: unknown) => void;

/** What every listener reports to: the log (for internal errors) and the ack metrics. */
export interface ListenerContext {
  log: Logger;
  acks: AckObserver;
}

/**
 * Builds one event's listener: validates the payload, runs the service, acks `{ok, data}` or a coded
 * error. Nothing throws past this point, so one bad frame never costs the connection or the process.
 *
 * The listener is built once per server and registered on every socket, instead of one closure per
 * socket per event: with thousands of viewers the closures (and their contexts) were a measurable part
 * of each connection's heap.
 */
export function listener<S extends z.ZodType, R, T = R>(
  ctx: ListenerContext,
  event: string,
  schema: S,
  run: (socket: IoSocket, payload: z.output<S>) => Promise<R>,
  o: {
    /** What the sender's ack carries (default: the result itself). */
    ack?: (result: R) => T;
    /** Runs after the ack was sent (broadcasts: what was stored, after the sender heard so). */
    after?: (result: R) => void;
    /**
     * Holds the sender's writes until this turn's room frames are out, so the ack and the frame that
     * carries the same comment to its sender leave in one syscall (hold-writes.ts).
     */
    holdAck?: boolean;
    /**
     * The JSON of what the ack carries, for acks that repeat large shared parts (a join's presence and
     * latest page): built from each part's cached JSON instead of Socket.IO encoding all of it per
     * packet (packet-encoder.ts). Must be exactly `JSON.stringify` of it, up to key order.
     */
    encode?: (data: T) => string;
  } = {},
): SharedListener {
  const { log } = ctx;
  const acks = ctx.acks.forEvent(event);
  // Made once per listener, not per call: tsx's keepNames wraps every named closure in `__name` (an
  // Object.defineProperty each time one is made, ~2 µs of each comment in the small-rooms profile).
  function reply(send: (a: Ack<T>) => void, started: number, a: Ack<T>): void {
    acks.ack(a.ok ? 'ok' : a.code, (performance.now() - started) / 1000);
    send(a);
  }
  async function handle(socket: IoSocket, payload: unknown, send: (a: Ack<T>) => void): Promise<void> {
    const started = performance.now();
    try {
      // Checked here, in the shared listener, rather than in a per-socket middleware (each socket's
      // middleware array cost ~150 B). engine.io's own cap closes the connection; this lower one
      // answers with a code and keeps it open.
      if (jsonBytesOver(payload, LIMITS.eventMaxBytes)) {
        throw new AppError('payload_too_large', `Events are limited to ${LIMITS.eventMaxBytes} bytes.`);
      }
      const result = await run(socket, parseOrThrow(schema, payload));
      if (o.holdAck) holdWrites(socket);
      try {
        const data = o.ack ? o.ack(result) : (result as unknown as T);
        const ok: Ack<T> = { ok: true, data };
        reply(send, started, o.encode ? withEncoding(ok, `{"ok":true,"data":${o.encode(data)}}`) : ok);
        o.after?.(result);
      } finally {
        // Scheduled after `after` queued the room frame's flush, so the release runs after it.
        if (o.holdAck) releaseHeldWritesAfterFrames();
      }
    } catch (err) {
      // The database being away is not our bug: the client gets `unavailable` and when to retry.
      const ackErr = toAckError(isDatabaseUnavailable(err) ? databaseUnavailable() : err);
      if (ackErr.code === 'internal') log.error({ err, event, socket: socket.id }, 'socket handler failed');
      reply(send, started, ackErr);
    }
  }
  return function (this: IoSocket, payload: unknown, ack: unknown) {
    void handle(this, payload, typeof ack === 'function' ? (ack as (a: Ack<T>) => void) : () => {});
  };
}

/**
 * Whether a decoded event payload is over `limit` bytes as JSON on the wire, without encoding it again
 * (the old guard ran JSON.stringify on every event). Strings count their UTF-8 bytes (multi-byte text
 * must not slip past the cap) plus quotes; escapes are not counted, so this is a lower bound, which is
 * enough: the transport's own cap (LIMITS.transportMaxBytes) bounds the rest. Iterative, so a deeply
 * nested payload cannot exhaust the stack.
 */
export function jsonBytesOver(value: unknown, limit: number): boolean {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') size += Buffer.byteLength(v) + 2;
    else if (typeof v === 'number' || typeof v === 'boolean') size += String(v).length;
    else if (v === null || v === undefined) size += 4;
    else if (Array.isArray(v)) {
      size += 1 + v.length;
      for (const item of v) pending.push(item);
    } else if (typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        size += Buffer.byteLength(k) + 4;
        pending.push(item);
      }
    }
    if (size > limit) return true;
  }
  return false;
}
