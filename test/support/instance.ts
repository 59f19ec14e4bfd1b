/**
 * One server as a child process, configured entirely by its environment (like `npm run serve`), for
 * tests that must kill an instance for real. Prints `LISTENING <url>` once it accepts connections.
 * INSTANCE_WITH_NEXT=false leaves Next out (socket-only tests start faster).
 */
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/index.ts';
import { createLogger } from '../../server/logger.ts';
import { installProcessGuard } from '../../server/process-guard.ts';

const config = loadConfig(process.env);
const log = createLogger(config);
const server = await startServer(config, log, { withNext: process.env.INSTANCE_WITH_NEXT !== 'false' });
await server.runtime.ready;
// As server/index.ts does: the fault suite checks the output for these lines.
installProcessGuard(log, server.runtime.metrics.unexpectedError);
console.log(`LISTENING ${server.url}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void server.stop().finally(() => process.exit(0)));
}
