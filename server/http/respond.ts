import { AppError, toAckError, type ErrorCode } from '../../shared/errors.ts';
import { LIMITS } from '../../shared/limits.ts';

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
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** Same error body as a socket ack: `{ ok: false, code, message, issues?, retryAfterMs? }`. */
export function errorResponse(err: unknown): Response {
  const body = toAckError(err);
  const headers: Record<string, string> = {};
  if (body.retryAfterMs) headers['retry-after'] = String(Math.ceil(body.retryAfterMs / 1000));
  return Response.json(body, { status: STATUS[body.code], headers });
}

export function ok<T>(data: T, status = 200): Response {
  return Response.json({ ok: true, data }, { status });
}

/** Reads a JSON body with a size cap; throws AppError(payload_too_large / invalid_payload). */
export async function readJson(req: Request, maxBytes: number = LIMITS.eventMaxBytes): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('payload_too_large', `Bodies are limited to ${maxBytes} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError('payload_too_large', `Bodies are limited to ${maxBytes} bytes.`);
  if (text.trim() === '') throw new AppError('invalid_payload', 'Send a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_payload', 'The body is not valid JSON.');
  }
}
