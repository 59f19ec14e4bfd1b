/**
 * The closed set of error codes a client can receive (socket acks and HTTP error bodies).
 * docs/protocol.md documents each; a test checks the two agree.
 */
export const ERROR_CODES = [
  'invalid_payload',
  'payload_too_large',
  'empty_comment',
  'comment_too_long',
  'unknown_room',
  'not_joined',
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'slow_mode',
  'timed_out',
  'banned',
  'read_only',
  'blocked_term',
  'invalid_stream_source',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export interface AckError {
  ok: false;
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  /** Set with rate_limited, slow_mode and timed_out: when a retry can succeed. */
  retryAfterMs?: number;
}

export interface AckOk<T> {
  ok: true;
  data: T;
}

export type Ack<T> = AckOk<T> | AckError;

// Next bundles its own copy of this module for route handlers, so an AppError thrown by a server
// service is not `instanceof` the bundle's class: a process-wide brand recognises both copies.
const APP_ERROR = Symbol.for('liveroom.AppError');

/** Thrown inside services; handlers turn it into an AckError, never leaking internals. */
export class AppError extends Error {
  readonly [APP_ERROR] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: FieldIssue[]; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (typeof err === 'object' && err !== null && (err as { [APP_ERROR]?: unknown })[APP_ERROR] === true);
}

export function toAckError(err: unknown): AckError {
  if (isAppError(err)) return { ok: false, code: err.code, message: err.message, ...err.extra };
  return { ok: false, code: 'internal', message: 'Something went wrong on our side; please retry.' };
}
