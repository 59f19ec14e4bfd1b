/**
 * Starts one production server for the e2e suite on a fresh embedded database (E2E_DATA), so every run
 * begins from the same state. Extra settings come from the environment as for `npm run serve`.
 */
import fs from 'node:fs';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/index.ts';

const dataDir = process.env.E2E_DATA ?? 'test-data/e2e';
fs.rmSync(dataDir, { recursive: true, force: true });
const server = await startServer(loadConfig({ ...process.env, DATA_DIR: dataDir }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void server.stop().finally(() => process.exit(0)));
}
