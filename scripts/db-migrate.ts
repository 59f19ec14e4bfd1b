// `npm run db:migrate`: applies pending prisma/migrations to the configured database, like `prisma migrate deploy`.
// DATABASE_URL set → that PostgreSQL; otherwise the embedded PGlite in $DATA_DIR/pglite (default ./data).
// Stop the server first when using PGlite: its data directory must never be open in two processes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations } from '../server/db/migrate.ts';

const url = process.env.DATABASE_URL;
let pglite: PGlite | undefined;
if (!url) {
  const dataDir = path.resolve(process.env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true }); // PGlite does not create missing parent folders
  pglite = new PGlite(path.join(dataDir, 'pglite'));
  console.log(`database: PGlite at ${path.join(dataDir, 'pglite')}`);
} else {
  console.log(`database: PostgreSQL at ${new URL(url).host}`);
}

try {
  await applyMigrations({
    // max: 1 keeps the engine's advisory lock on the connection that runs the migrations (see migrate.ts).
    adapterFactory: pglite ? new PrismaPGlite(pglite) : new PrismaPg({ connectionString: url, max: 1 }),
    log: (msg) => console.log(msg),
  });
} finally {
  await pglite?.close();
}
