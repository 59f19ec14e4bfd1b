import net from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CI = process.env.CI === 'true';

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1_000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * True when the service answers. Otherwise: under CI=true the suite must fail, so this throws; locally
 * it warns loudly and the caller skips.
 */
export async function requireService(name: 'postgresql' | 'redis'): Promise<boolean> {
  const url = new URL(name === 'postgresql' ? TEST_PG_URL : TEST_REDIS_URL);
  const ok = await reachable(url.hostname, Number(url.port || (name === 'postgresql' ? 5432 : 6379)));
  if (ok) return true;
  const msg = `${name} is not reachable at ${url.host}`;
  if (CI) throw new Error(`${msg} (CI=true: tests needing it must run)`);
  console.warn(`\n\n!!!!!!!! SKIPPING: ${msg} — these tests did NOT run !!!!!!!!\n\n`);
  return false;
}

/** A throwaway PostgreSQL database; drop() removes it. */
export async function createTempDatabase(prefix = 'lrtest', adminUrl = TEST_PG_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Removes every key this product writes (lr:*) from the test Redis. */
export async function flushProductKeys(): Promise<void> {
  const r = new Redis(TEST_REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', 'lr:*', 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  await r.quit();
}
