// `npm run db:migrate`: applies pending prisma/migrations to the configured database, like `prisma migrate deploy`.
// The database is the server's (server/config.ts, server/db/client.ts): DATABASE_URL set → that PostgreSQL;
// otherwise the embedded PGlite in $DATA_DIR/pglite (default ./data).
// Stop the server first when using PGlite: its data directory must never be open in two processes.
import { ConfigError, loadConfig } from '../server/config.ts';
import { DatabaseSetupError, migrateDatabase } from '../server/db/client.ts';

try {
  const config = loadConfig();
  await migrateDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: (msg) => console.log(msg) });
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof DatabaseSetupError)) throw err;
  console.error(err.message);
  process.exit(err instanceof ConfigError ? 78 : 1);
}
