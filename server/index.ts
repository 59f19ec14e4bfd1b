import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { DatabaseSetupError, openDatabase } from './db/client.ts';
import { connectRedis, waitForRedis } from './realtime/redis.ts';
import { resolveSessionSecret } from './identity/secret.ts';
import { createApplication, type Application } from './app.ts';
import { setRuntime } from './runtime.ts';
import { PEER_HEADER } from './http/respond.ts';
import { createMetrics, metricsHandler } from './metrics/metrics.ts';
import { installProcessGuard } from './process-guard.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const notFound = async (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(404).end();
};

const badPathBody = { ok: false, code: 'invalid_payload', message: 'The address has a malformed %-escape.' };

function hasDecodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
    return true;
  } catch {
    return false;
  }
}

export interface StartedServer {
  url: string;
  port: number;
  /** The assembled application (tests and the bench reach its modules here; Next gets app.web). */
  runtime: Application;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the Next app too (default). Socket-level integration tests turn it off to start in milliseconds. */
  withNext?: boolean;
}

/** Starts the whole product (Next + Socket.IO on one port). Used by the CLI below and by integration tests. */
export async function startServer(
  config: Config,
  log: Logger = createLogger(config),
  options: StartOptions = {},
): Promise<StartedServer> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, writeConnections: config.writeBatch.concurrency });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log) : undefined;
  if (redis && !(await waitForRedis(redis, 3_000))) {
    log.warn('redis not reachable at start: serving this instance\'s sockets only until it is');
  }
  const sessionSecret = await resolveSessionSecret(config.sessionSecret, config.dataDir);

  const nextApp = options.withNext === false ? undefined : next({ dev: config.dev, dir: rootDir, hostname: config.host, port: config.port });
  await nextApp?.prepare();
  const handle = nextApp?.getRequestHandler() ?? notFound;

  const metrics = createMetrics();
  const serveMetrics = metricsHandler(metrics, config.metricsToken);
  const httpServer = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      void serveMetrics(req, res);
      return;
    }
    if (!hasDecodablePath(req.url)) {
      // Next's router answers a malformed %-escape (GET /rooms/%ff) with a 500; it is the caller's error.
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(badPathBody));
      return;
    }
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? 'unknown';
    if (req.url?.startsWith('/api/')) {
      const started = performance.now();
      res.on('finish', () =>
        log.info({ method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http'),
      );
    }
    void handle(req, res);
  });

  const app = createApplication({ httpServer, config, log, db, redis, sessionSecret, metrics });
  setRuntime(app.web);
  await app.start();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log.info({ url }, 'listening; sockets wait for the database and warm-up');
  void app.ready.then(() => log.info({ url, dev: config.dev, database: db.kind, redis: Boolean(redis) }, 'live room ready'));

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    runtime: app,
    stop: () =>
      (stopping ??= (async () => {
        httpServer.close();
        httpServer.closeIdleConnections();
        await app.close();
        httpServer.closeAllConnections();
        await redis?.close();
        await db.close();
        await nextApp?.close().catch(() => {});
        setRuntime(undefined);
      })()),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config);
  let server: StartedServer;
  try {
    server = await startServer(config, log);
  } catch (err) {
    if (err instanceof DatabaseSetupError) log.fatal(err.message);
    else log.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    // Whatever happens, the process is gone within 10 s.
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, Math.min(config.shutdownGraceMs + 1_500, 10_000)).unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  installProcessGuard(log, server.runtime.metrics.unexpectedError);
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
