import pg from 'pg';
import { createTempDatabase } from '../../test/support/services.ts';

/** Bench fixtures written with plain SQL: the product's own code paths are what is being measured. */
export const ADMIN_PG_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createTempDatabase('lrbench', ADMIN_PG_URL);
}

export async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function ensureRooms(url: string, ids: string[]): Promise<void> {
  return withDb(url, async (c) => {
    await c.query(
      `INSERT INTO "Room" (id, title) SELECT id, 'bench ' || id FROM unnest($1::text[]) AS id ON CONFLICT (id) DO NOTHING`,
      [ids],
    );
  });
}

export function countMessages(url: string, roomPrefix: string): Promise<number> {
  return withDb(url, async (c) => {
    const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "Message" WHERE "roomId" LIKE $1`, [`${roomPrefix}%`]);
    return Number(r.rows[0]?.n ?? 0);
  });
}

/** `count` comments in one room in a single INSERT … SELECT generate_series, with Room.lastSeq set to match. */
export function seedHistory(url: string, roomId: string, count: number): Promise<void> {
  return withDb(url, async (c) => {
    // An earlier pass of the same run (--repeat) has seeded it already.
    const seeded = await c.query<{ lastSeq: number }>(`SELECT "lastSeq" FROM "Room" WHERE id = $1`, [roomId]);
    if ((seeded.rows[0]?.lastSeq ?? 0) >= count) return;
    await c.query(`INSERT INTO "User" (id, name) VALUES ('bench-seed', 'seed') ON CONFLICT (id) DO NOTHING`);
    await c.query(`INSERT INTO "Room" (id, title) VALUES ($1, 'history') ON CONFLICT (id) DO NOTHING`, [roomId]);
    await c.query(
      `INSERT INTO "Message" ("roomId", seq, "userId", "userName", content, "clientMsgId", "createdAt")
       SELECT $1, g, 'bench-seed', 'seed', 'seeded comment number ' || g, 'seed-' || g,
              now() - make_interval(secs => $2 - g)
       FROM generate_series(1, $2::int) AS g`,
      [roomId, count],
    );
    await c.query(`UPDATE "Room" SET "lastSeq" = $2 WHERE id = $1`, [roomId, count]);
    await c.query(`ANALYZE "Message"`);
  });
}
