import { AppError, toAckError, type ErrorCode } from '../../shared/errors.ts';
import { LIMITS } from '../../shared/limits.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/errors.ts';
import { getRuntime } from '../runtime.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  payload_too_large: 413,
  empty_comment: 400,
  comment_too_long: 400,
  unknown_room: 404,
  not_joined: 409,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  slow_mode: 429,
  timed_out: 403,
  banned: 403,
  read_only: 403,
  blocked_term: 400,
  invalid_stream_source: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** Same error body as a socket ack: `{ ok: false, code, message, issues?, retryAfterMs? }`. */
export function errorResponse(err: unknown): Response {
  const body = toAckError(isDatabaseUnavailable(err) ? databaseUnavailable() : err);
  // The caller sees a fixed message; the operator needs the real one.
  if (body.code === 'internal') logInternal(err);
  const headers: Record<string, string> = {};
  if (body.retryAfterMs) headers['retry-after'] = String(Math.ceil(body.retryAfterMs / 1000));
  return Response.json(body, { status: STATUS[body.code], headers });
}

function logInternal(err: unknown): void {
  try {
    getRuntime().log.error({ err }, 'http handler failed');
  } catch {
    console.error('http handler failed', err);
  }
}

export function ok<T>(data: T, status = 200): Response {
  return Response.json({ ok: true, data }, { status });
}

/** Reads a JSON body with a size cap; throws AppError(payload_too_large / invalid_payload). */
export async function readJson(req: Request, maxBytes: number = LIMITS.eventMaxBytes): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('payload_too_large', `Bodies are limited to ${maxBytes} bytes.`);
  const text = await readCapped(req, maxBytes);
  if (text.trim() === '') throw new AppError('invalid_payload', 'Send a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_payload', 'The body is not valid JSON.');
  }
}

/**
 * The body as text, read chunk by chunk: a chunked upload declares no length, and reading it whole
 * first (req.text()) would buffer any size an unauthenticated caller sends before the cap applies.
 */
async function readCapped(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError('payload_too_large', `Bodies are limited to ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Throws rate_limited (429 with retry-after) when the limiter refuses `key`. */
export async function enforceLimit(limiter: { take(key: string): Promise<number | null> }, key: string): Promise<void> {
  const wait = await limiter.take(key);
  if (wait !== null) {
    throw new AppError('rate_limited', `Too many requests; retry in ${Math.ceil(wait / 1000)} s.`, { retryAfterMs: wait });
  }
}

export const PEER_HEADER = 'x-liveroom-peer';
const PRIVATE_PEER = /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::ffff:127\.|fc|fd)/;

/**
 * The caller's address, for per-client limits. The custom server stamps the TCP peer into PEER_HEADER
 * (overwriting anything a client sent); X-Forwarded-For is believed only when that peer is a private
 * address (our own load balancer), and then only its last hop, the one our proxy appended.
 */
export function clientAddress(req: Request): string {
  const peer = req.headers.get(PEER_HEADER) ?? 'unknown';
  const forwarded = req.headers.get('x-forwarded-for');
  if (forwarded && PRIVATE_PEER.test(peer)) return forwarded.split(',').at(-1)?.trim() || peer;
  return peer;
}
