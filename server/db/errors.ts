import { AppError } from '../../shared/errors.ts';

/** How long a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_MS = 2_000;

// Errors that mean "the database cannot be reached or is not answering", from Prisma, its driver
// adapters (pg, PGlite) and Node's sockets; PostgreSQL SQLSTATE classes 08 (connection) and 57P
// (operator intervention: shutdown, crash recovery).
const PRISMA_NAMES = new Set(['PrismaClientInitializationError', 'PrismaClientRustPanicError', 'DriverAdapterError', 'PrismaClientUnknownRequestError']);
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'P1001', 'P1002', 'P1017', 'P2024']);
const SQLSTATE = /^(08|57P)/;

/** True when `err` (or what it wraps) says the database is unreachable, not that a query was wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { name?: unknown; code?: unknown; cause?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  if (typeof e.name === 'string' && PRISMA_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && (CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && /Connection terminated|Can't reach database server|Server has closed the connection|timeout exceeded when trying to connect/i.test(e.message)) return true;
  // Prisma 7 reports a connection that PostgreSQL ended (57P01 on shutdown, 57P03 while starting up) as
  // a known request error (P2039 and others) whose driver's error sits in meta, not in cause.
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError?.cause, depth + 1);
}

/** The coded error a caller gets instead of `internal` when the database is the cause. */
export function databaseUnavailable(): AppError {
  return new AppError('unavailable', 'The database is not answering right now; retrying shortly.', { retryAfterMs: DATABASE_RETRY_AFTER_MS });
}
