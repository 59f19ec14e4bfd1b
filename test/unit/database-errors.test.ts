import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../server/db/errors.ts';

const err = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);

describe('isDatabaseUnavailable (database away → `unavailable`, not `internal`)', () => {
  it.each([
    ['a refused connection', err({ code: 'ECONNREFUSED' })],
    ['PostgreSQL shutting down (SQLSTATE 57P01)', err({ code: '57P01' })],
    ['a lost connection (SQLSTATE 08006)', err({ code: '08006' })],
    ['Prisma cannot reach the server (P1001)', err({ code: 'P1001' })],
    ['a driver adapter error', err({ name: 'DriverAdapterError' })],
    ['a pool that timed out', err({ message: 'timeout exceeded when trying to connect' })],
    ['any of those as the cause', err({ message: 'query failed', cause: err({ code: 'ECONNRESET' }) })],
    // Both seen in the fault suite while its PostgreSQL stopped and started again.
    [
      'a Prisma request error over a connection PostgreSQL ended (57P01 in meta.driverAdapterError)',
      err({ name: 'PrismaClientKnownRequestError', code: 'P2039', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P01' } } } }),
    ],
    [
      'a Prisma request error while PostgreSQL starts up (57P03 in meta.driverAdapterError)',
      err({ name: 'PrismaClientKnownRequestError', code: 'P2039', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P03' } } } }),
    ],
    ['a raw query over a closed connection', err({ name: 'PrismaClientKnownRequestError', code: 'P2010', message: 'Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`' })],
  ])('recognises %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    ['a unique violation', err({ code: 'P2002' })],
    ['a unique violation reported with its driver error', err({ name: 'PrismaClientKnownRequestError', code: 'P2002', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '23505' } } } })],
    ['a syntax error (SQLSTATE 42601)', err({ code: '42601' })],
    ['not an error', 'ECONNREFUSED'],
  ])('does not hide %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
