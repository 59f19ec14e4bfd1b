// Applies prisma/migrations at startup or from `npm run db:migrate`, without the native schema-engine binary.
// Same semantics and bookkeeping as `prisma migrate deploy` (`_prisma_migrations` table, checksums, idempotent).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { NO_FILTER, openSchemaEngine, readMigrationsList } from './schema-engine.ts';

/**
 * The repository root: two levels above this file when run from source (tsx, vitest); the working directory
 * when this module was bundled somewhere else (import.meta.url then no longer points into server/db).
 */
export function repoRoot(): string {
  try {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    if (existsSync(path.join(root, 'prisma', 'schema.prisma'))) return root;
  } catch {
    // not a file: URL
  }
  return process.cwd();
}

/**
 * Applies every pending migration through the given adapter factory.
 *
 * - PGlite: pass `new PrismaPGlite(pglite)` with the instance the app's Prisma client will use (PGlite is
 *   single-connection); it stays open afterwards.
 * - PostgreSQL: `new PrismaPg({ connectionString, max: 1 })` is best. The engine takes a session-level
 *   advisory lock (so concurrent instances migrate one at a time) on whichever pooled connection it gets and
 *   never unlocks it; with one connection the lock covers the whole run. The pool is closed at the end,
 *   which releases the lock.
 *
 * Throws on a failed migration; like `migrate deploy`, that migration then stays marked as failed in
 * `_prisma_migrations` and later runs refuse to continue until it is resolved.
 */
export async function applyMigrations(opts: {
  adapterFactory: SqlDriverAdapterFactory;
  migrationsDir?: string;
  schemaPath?: string;
  log?: (msg: string) => void;
}): Promise<{ applied: string[] }> {
  const root = repoRoot();
  const migrationsDir = path.resolve(root, opts.migrationsDir ?? 'prisma/migrations');
  const schemaPath = path.resolve(root, opts.schemaPath ?? 'prisma/schema.prisma');
  const log = opts.log ?? (() => {});

  const migrationsList = await readMigrationsList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    // The engine would happily "apply" nothing and leave an empty database: almost certainly a wrong path.
    throw new Error(`no migrations found in ${migrationsDir}`);
  }
  // Handed to the engine like the CLI does; applying migrations neither needs nor validates it.
  const schema = await readFile(schemaPath, 'utf8').catch(() => undefined);

  const { engine, close } = await openSchemaEngine(opts.adapterFactory, {
    schemaFiles: schema === undefined ? undefined : [[schemaPath, schema]],
    log,
  });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    log(
      appliedMigrationNames.length > 0
        ? `applied ${appliedMigrationNames.length} migration(s): ${appliedMigrationNames.join(', ')}`
        : `database schema is up to date (${migrationsList.migrationDirectories.length} migration(s))`,
    );
    return { applied: appliedMigrationNames };
  } finally {
    await close();
  }
}
