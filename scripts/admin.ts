// `npm run admin -- <command> [args]`: maintenance commands against the configured database
// (DATABASE_URL, or the embedded PGlite in DATA_DIR — stop the server first: PGlite is single-process).
// One file per command under scripts/admin/; add new ones to COMMANDS.
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { createLogger } from '../server/logger.ts';
import type { AdminCommand } from './admin/command.ts';

const COMMANDS: Record<string, () => Promise<{ default: AdminCommand }>> = {
  'create-api-key': () => import('./admin/create-api-key.ts'),
  'revoke-api-key': () => import('./admin/revoke-api-key.ts'),
  'create-admin': () => import('./admin/create-admin.ts'),
  'create-moderator': () => import('./admin/create-moderator.ts'),
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.values(COMMANDS).map(async (load) => `  ${(await load()).default.usage}`));
  return `usage: npm run admin -- <command> [args]\n${lines.join('\n')}`;
}

const [name, ...args] = process.argv.slice(2);
const load = name ? COMMANDS[name] : undefined;
if (!load) {
  console.error(await usage());
  process.exit(64);
}
try {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: createLogger({ ...config, logPretty: false }) });
  try {
    await db.ready;
    await (await load()).default.run(args, { db, config });
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `admin ${name}: ${(err as Error).message}`);
  process.exit(1);
}
