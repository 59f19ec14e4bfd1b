/**
 * Runs the real product (server/index.ts startServer, Socket.IO only — Next adds nothing to these
 * scenarios) as its own process, configured through the environment like production, so the bench can
 * read its CPU and RSS from /proc. Prints `READY <port>` once the database is migrated.
 */
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/index.ts';
import { installBenchHooks } from '../lib/server-hooks.ts';

// The bench asks for a full GC before reading RSS (the launcher passes --expose-gc). Installed before
// READY: SIGUSR2's default action would kill the process.
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
installBenchHooks(); // heap snapshots and memory figures on request (stdin)

const config = loadConfig();
const server = await startServer(config, createLogger(config), { withNext: false });
await server.runtime.ready;
console.log(`READY ${server.port}`);

const stop = () => {
  // --cpu-prof writes its profile on a normal exit, so leave through process.exit.
  server.stop().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
