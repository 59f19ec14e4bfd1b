import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, repoRoot } from '../../server/db/migrate.ts';
import { NO_FILTER, openSchemaEngine, readMigrationsList } from '../../server/db/schema-engine.ts';
import { PrismaClient } from '../../server/db/generated/client.ts';

// A subset: models added later do not need to be listed here.
const TABLES = ['ApiKey', 'AuditEntry', 'BlockedTerm', 'Message', 'Room', 'RoomModerator', 'RoomStatsMinute', 'Sanction', 'User'];
const migrationsDir = path.join(repoRoot(), 'prisma', 'migrations');
const allMigrations = (await readMigrationsList(migrationsDir)).migrationDirectories.map((d) => d.path);

async function publicTables(query: (sql: string) => Promise<{ rows: unknown[] }>): Promise<string[]> {
  const { rows } = await query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => (r as { table_name: string }).table_name).sort();
}

describe('applyMigrations on PGlite', () => {
  const db = new PGlite(); // in memory
  afterAll(() => db.close());

  it('creates the tables, then is a no-op', async () => {
    expect(allMigrations.length).toBeGreaterThan(0);
    expect(await applyMigrations({ adapterFactory: new PrismaPGlite(db) })).toEqual({ applied: allMigrations });
    expect(await publicTables((sql) => db.query(sql))).toEqual(expect.arrayContaining([...TABLES, '_prisma_migrations']));
    expect(await applyMigrations({ adapterFactory: new PrismaPGlite(db) })).toEqual({ applied: [] });
  });

  it('leaves the PGlite instance usable by the Prisma client', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    try {
      expect(await prisma.user.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('matches prisma/schema.prisma (else: npm run db:migration -- <name>)', async () => {
    const schemaPath = path.join(repoRoot(), 'prisma', 'schema.prisma');
    const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
    const { engine, close } = await openSchemaEngine(new PrismaPGlite(db));
    try {
      const diff = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      });
      expect(diff.exitCode, diff.stdout ?? '').toBe(0);
    } finally {
      await close();
    }
  });
});

// PostgreSQL runs on the project's machines and in CI; a laptop without it skips (loudly), CI must not.
const PG_URL = new URL('postgresql://postgres@127.0.0.1:5432/test');
const urlFor = (database: string) => Object.assign(new URL(PG_URL), { pathname: `/${database}` }).toString();
const admin = new pg.Client({ connectionString: urlFor('postgres'), connectionTimeoutMillis: 3000 });
const pgError = await admin.connect().then(
  () => undefined,
  (err: Error) => err,
);
if (pgError && process.env.CI !== 'true') {
  console.warn(
    `\n!!!!!!!!!!\n!! SKIPPING PostgreSQL migration tests: ${PG_URL.host} unreachable (${pgError.message})\n!!!!!!!!!!\n`,
  );
}

describe.skipIf(pgError !== undefined && process.env.CI !== 'true')('applyMigrations on PostgreSQL', () => {
  const database = `migrate_test_${process.pid}_${Date.now()}`;
  let client: pg.Client | undefined;

  beforeAll(async () => {
    if (pgError) throw new Error(`PostgreSQL unreachable at ${PG_URL.host} (required when CI=true): ${pgError.message}`);
    await admin.query(`CREATE DATABASE "${database}"`);
    client = new pg.Client({ connectionString: urlFor(database) });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    if (!pgError) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('creates the tables, then is a no-op', async () => {
    const adapterFactory = () => new PrismaPg({ connectionString: urlFor(database) });
    expect(await applyMigrations({ adapterFactory: adapterFactory() })).toEqual({ applied: allMigrations });
    expect(await publicTables((sql) => client!.query(sql))).toEqual(expect.arrayContaining([...TABLES, '_prisma_migrations']));
    expect(await applyMigrations({ adapterFactory: adapterFactory() })).toEqual({ applied: [] });
    const { rows } = await client!.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
    expect(rows[0]).toEqual({ n: allMigrations.length });
  });
});
