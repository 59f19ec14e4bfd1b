import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Prisma, PrismaClient } from './generated/client.ts';
import type { Logger } from '../logger.ts';
import { applyMigrations } from './migrate.ts';

export { Prisma, type PrismaClient };

export interface Database {
  kind: 'postgresql' | 'pglite';
  prisma: PrismaClient;
  /** Where the data lives, for logs and health (never includes credentials). */
  location: string;
  /** Resolves once connected and migrated (retries until then). */
  ready: Promise<void>;
  isReady(): boolean;
  ping(): Promise<void>;
  /** The PostgreSQL pool's connections and the queries waiting for one (absent for PGlite's single connection). */
  pool?: PoolStats;
  /** The same for the comment writes' own connections (see `query`). */
  writePool?: PoolStats;
  /**
   * PostgreSQL only: a statement straight on the driver, past Prisma's per-query pipeline, for the one
   * statement hot enough for it to matter (the comment insert), on connections of its own. Rows come
   * back with bigint ids and UTC Dates, as Prisma returns them.
   */
  query?: SqlQuery;
  /**
   * PostgreSQL only: the same, on the shared pool, for the comment reads (history pages, join replays,
   * gap fills): a page of 50 rows through Prisma's query compiler and result mapping cost more CPU than
   * the query itself (bench/README.md, change 29).
   */
  read?: SqlQuery;
  close(): Promise<void>;
}

export type SqlQuery = <R>(text: string, values: unknown[]) => Promise<R[]>;

export interface PoolStats {
  total(): number;
  idle(): number;
  waiting(): number;
}

export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}

interface DbGlobal {
  /** Keyed by database location; `users` counts openers so the last close() really closes. */
  __liveroomDbs?: Map<string, { db: Promise<Database>; users: number }>;
}
const dbs = ((globalThis as DbGlobal).__liveroomDbs ??= new Map());

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable)';
  }
}

interface Driver {
  kind: Database['kind'];
  location: string;
  /** The app's connections. */
  factory: SqlDriverAdapterFactory;
  /** What applyMigrations gets (see migrate.ts): PGlite's one connection, or a one-connection PostgreSQL pool. */
  migrationFactory(): SqlDriverAdapterFactory;
  pool?: Database['pool'];
  writePool?: Database['writePool'];
  query?: Database['query'];
  read?: Database['read'];
  close(): Promise<void>;
}

/**
 * Parsers for direct queries (Database.query and Database.read): int8 as bigint and `timestamp` (without zone, where
 * Prisma keeps UTC) as a UTC Date, where pg's defaults would give a string and a local-time Date.
 */
const prismaLikeTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (v: string) => BigInt(v);
    if (oid === 1114) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** A statement straight on a pg pool, rows typed as Prisma returns them (see Database.query). */
export function directQuery(pool: pg.Pool): SqlQuery {
  return async <R>(text: string, values: unknown[]) => (await pool.query({ text, values, types: prismaLikeTypes })).rows as R[];
}

function newPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server (PostgreSQL restarted) emits here; unhandled, it would end the process.
  pool.on('error', () => {});
  return pool;
}

const poolStats = (pool: pg.Pool): PoolStats => ({ total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount });

/** The one place that picks the database: PostgreSQL when DATABASE_URL is set, else the embedded PGlite in DATA_DIR. */
async function openDriver(opts: { databaseUrl: string | undefined; dataDir: string; writeConnections?: number }): Promise<Driver> {
  const { databaseUrl } = opts;
  if (databaseUrl) {
    // Our own pools rather than the adapter's, so the metrics can read their waits. The acquire timeout
    // is half the web client's 10 s ack timeout: a query that cannot get a connection by then is refused
    // (unavailable) while its sender still listens, instead of running for nobody.
    const pool = newPool(databaseUrl, 10);
    // The comment writes get connections of their own (as many as write batches may be in flight), so a
    // burst of reads (a join storm's pages, a spike of cache refills) never queues an ack behind it: with
    // one shared pool, 400 cold reads at a spike's start held comment batches for 0.5 s (bench/README.md).
    const writes = newPool(databaseUrl, opts.writeConnections ?? 4);
    return {
      kind: 'postgresql',
      location: redactUrl(databaseUrl),
      query: directQuery(writes),
      read: directQuery(pool),
      factory: new PrismaPg(pool),
      migrationFactory: () => new PrismaPg({ connectionString: databaseUrl, max: 1 }),
      pool: poolStats(pool),
      writePool: poolStats(writes),
      close: async () => {
        await Promise.all([pool.end(), writes.end()]);
      },
    };
  }
  const pglite = await openPglite(opts.dataDir);
  return { kind: 'pglite', ...pglite, migrationFactory: () => pglite.factory };
}

async function openPglite(dataDir: string): Promise<{ factory: SqlDriverAdapterFactory; location: string; close: () => Promise<void> }> {
  const dir = path.resolve(dataDir, 'pglite');
  try {
    // PGlite does not create missing parents of its data directory.
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, fs.constants.W_OK | fs.constants.R_OK);
  } catch (err) {
    throw new DatabaseSetupError(
      `Cannot use the embedded database folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. ` +
        'Set DATA_DIR to a writable folder, or DATABASE_URL to use PostgreSQL.',
    );
  }
  const pglite = await PGlite.create(dir);
  return { factory: new PrismaPGlite(pglite), location: dir, close: () => pglite.close() };
}

async function withRetry<T>(what: string, log: Logger, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (signal?.aborted) throw err;
      log.error({ err: (err as Error).message, attempt, retryInMs: delay }, `${what} failed; retrying`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

/**
 * Opens the database client at once (fatal setup problems, like an unwritable PGlite folder, throw
 * here) and connects + migrates in the background, retrying with backoff until PostgreSQL answers;
 * `isReady()` gates the features that need it and the health check reports it.
 * One client per process: the custom server and Next's bundle are separate module instances, so the
 * promise lives on globalThis.
 */
export function openDatabase(
  opts: {
    databaseUrl: string | undefined;
    dataDir: string;
    log: Logger;
    signal?: AbortSignal;
    /** Connections for the comment writes (PostgreSQL): WRITE_CONCURRENCY. @default 4 */
    writeConnections?: number;
  },
): Promise<Database> {
  const key = opts.databaseUrl ?? path.resolve(opts.dataDir);
  const existing = dbs.get(key);
  if (existing) {
    existing.users++;
    return existing.db;
  }
  const pending: Promise<Database> = (async () => {
    const { log } = opts;
    const driver = await openDriver(opts);
    const { kind, location } = driver;
    const prisma = new PrismaClient({ adapter: driver.factory });
    const ping = async () => {
      await prisma.$queryRaw`SELECT 1`;
    };
    let readyFlag = false;
    const ready = (async () => {
      await withRetry(`Connecting to ${kind} at ${location}`, log, ping, opts.signal);
      const migrationFactory = driver.migrationFactory();
      const { applied } = await withRetry(
        'Applying migrations',
        log,
        () => applyMigrations({ adapterFactory: migrationFactory, log: (msg) => log.debug(msg) }),
        opts.signal,
      );
      log.info({ kind, location, applied }, applied.length ? 'database migrated' : 'database up to date');
      readyFlag = true;
    })();
    ready.catch(() => {});
    return {
      kind,
      prisma,
      location,
      ready,
      isReady: () => readyFlag,
      ping,
      ...(driver.pool ? { pool: driver.pool } : {}),
      ...(driver.writePool ? { writePool: driver.writePool } : {}),
      ...(driver.query ? { query: driver.query } : {}),
      ...(driver.read ? { read: driver.read } : {}),
      close: async () => {
        const entry = dbs.get(key);
        if (entry && --entry.users > 0) return;
        dbs.delete(key);
        await prisma.$disconnect();
        await driver.close();
      },
    };
  })();
  dbs.set(key, { db: pending, users: 1 });
  pending.catch(() => dbs.delete(key));
  return pending;
}

/**
 * `npm run db:migrate`: applies the pending migrations to the database the configuration names, once (no
 * retries: a failure is for the operator to see), and closes it again.
 */
export async function migrateDatabase(
  opts: { databaseUrl: string | undefined; dataDir: string; log: (msg: string) => void },
): Promise<{ kind: Database['kind']; location: string; applied: string[] }> {
  const driver = await openDriver(opts);
  try {
    opts.log(`database: ${driver.kind} at ${driver.location}`);
    const { applied } = await applyMigrations({ adapterFactory: driver.migrationFactory(), log: opts.log });
    return { kind: driver.kind, location: driver.location, applied };
  } finally {
    await driver.close();
  }
}
