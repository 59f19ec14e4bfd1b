import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The one place that reads process.env. Every variable is documented in the README's configuration
 * table; keep the two in step.
 */
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const int = (def: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(def));
/** A port number, or `off` (the listener is not started). */
const portOrOff = (def: number) =>
  z.preprocess(emptyAsUndefined, z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(def));
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: int(3000, 0, 65535),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  REDIS_CLUSTER_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[\w:.-]{1,48}$/).default('lr')),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  INSTANCE_ID: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_PRETTY: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).optional()),
  COMMENT_RATE_LIMIT: int(20, 1, 10_000),
  HISTORY_RATE_LIMIT: int(40, 1, 100_000),
  COMMENT_RATE_WINDOW_SECONDS: int(30, 1, 86_400),
  REPLAY_CAP: int(500, 10, 10_000),
  HEARTBEAT_INTERVAL_MS: int(10_000, 1_000, 60_000),
  HEARTBEAT_TIMEOUT_MS: int(10_000, 1_000, 60_000),
  WRITE_BATCH_MAX: int(256, 1, 5_000),
  WRITE_CONCURRENCY: int(4, 1, 32),
  WRITE_QUEUE_MAX: int(5_000, 10, 1_000_000),
  BROADCAST_WINDOW_MS: int(60, 0, 1_000),
  SLOW_CONSUMER_MAX_BYTES: int(1_048_576, 16_384, 268_435_456),
  API_KEYS: optionalString,
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  API_RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
  ADMIN_LOGIN: optionalString,
  ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8, 'must be at least 8 characters').optional()),
  SHUTDOWN_GRACE_MS: int(8_000, 0, 60_000),
  COOKIE_SECURE: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false')),
  GW_PATH: z.preprocess(emptyAsUndefined, z.string().regex(/^\/[\w\-./]*$/, 'must be a path like /gw').default('/gw')),
  GW_WS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  GW_TIMEZONE: z.preprocess(emptyAsUndefined, z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC').default('Asia/Shanghai')),
  GW_PING_INTERVAL_SECONDS: int(25, 0, 3_600),
  GW_PING_NOT_RESPONSE_LIMIT: int(2, 0, 100),
  GW_REGISTER_PORT: portOrOff(1238),
  GW_REGISTER_HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  GW_INNER_PORT: portOrOff(0),
  GW_INNER_HOST: z.preprocess(emptyAsUndefined, z.ipv4('must be an IPv4 address (it is packed into client ids)').default('127.0.0.1')),
  GW_SECRET_KEY: optionalString,
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  dev: boolean;
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /**
   * Prefix of the Redis channels and keys that make instances one cluster (Socket.IO adapter `<p>:sio`,
   * presence `<p>:presence:*`, `<p>:instance*`): instances sharing it form one cluster.
   */
  clusterPrefix: string;
  /** Undefined means: generate one and keep it in DATA_DIR (single-instance default). */
  sessionSecret: string | undefined;
  instanceId: string;
  logLevel: Env['LOG_LEVEL'];
  logPretty: boolean;
  commentRate: { points: number; windowSeconds: number };
  replayCap: number;
  /** History pages a connection may ask for per 10 s. */
  historyRateLimit: number;
  heartbeat: { intervalMs: number; timeoutMs: number };
  writeBatch: { max: number; concurrency: number };
  /** Comments waiting for a write slot beyond which new ones are refused at once (`unavailable` + retryAfterMs). */
  writeQueueMax: number;
  /** How long a busy room's traffic is gathered into one frame per member (0: only what one event-loop turn produced). */
  broadcastWindowMs: number;
  /** A connection whose unsent output exceeds this is closed (it reconnects and resumes by seq). */
  slowConsumerMaxBytes: number;
  apiKeys: { name: string; secret: string }[];
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  apiRatePerMinute: number;
  admin: { login: string; password: string } | undefined;
  shutdownGraceMs: number;
  /** Mark the session cookie Secure (serve over HTTPS, e.g. behind a TLS load balancer). */
  cookieSecure: boolean;
  /** GatewayWorker compatibility (server/gatewayworker, docs/gatewayworker-compat.md). */
  gatewayWorker: GatewayWorkerConfig;
}

export interface GatewayWorkerConfig {
  /** Path of the seed-style WebSocket endpoint on the main port. @default '/gw' */
  path: string;
  /** Its own port as well (GatewayWorker's usual 7272); undefined: main port only. */
  wsPort: number | undefined;
  /** Time zone of the seed frames' `Y-m-d H:i:s` times. @default 'Asia/Shanghai' */
  timeZone: string;
  /** Seconds between `{"type":"ping"}` frames (GatewayWorker's pingInterval); 0: none. @default 25 */
  pingIntervalSeconds: number;
  /** Pings left unanswered before the connection is dropped (pingNotResponseLimit); 0: never. @default 2 */
  pingNotResponseLimit: number;
  /** The Register service for GatewayClient; undefined: off. @default 127.0.0.1:1238 */
  register: { host: string; port: number } | undefined;
  /** This instance's inner Gateway listener; its host and port are packed into every client_id. @default 127.0.0.1, any free port */
  inner: { host: string; port: number } | undefined;
  /** GatewayWorker's secretKey shared with GatewayClient; undefined: none. */
  secretKey: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseApiKeys(raw: string | undefined): { name: string; secret: string }[] {
  if (!raw) return [];
  return raw.split(',').map((entry, i) => {
    const [name, secret] = entry.trim().split(':');
    if (!name || !secret || secret.length < 16) {
      throw new ConfigError(`API_KEYS: entry ${i + 1} must look like name:secret with a secret of 16+ characters`);
    }
    return { name, secret };
  });
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_LOGIN === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('ADMIN_LOGIN and ADMIN_PASSWORD must be set together');
  }
  if (e.REDIS_URL && !e.SESSION_SECRET) {
    // Several instances must verify each other's session cookies.
    throw new ConfigError('SESSION_SECRET: required when REDIS_URL is set (instances must share it)');
  }
  const dev = e.NODE_ENV !== 'production';
  return {
    dev,
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    clusterPrefix: e.REDIS_CLUSTER_PREFIX,
    sessionSecret: e.SESSION_SECRET,
    instanceId: e.INSTANCE_ID ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY ? e.LOG_PRETTY === 'true' : dev && e.NODE_ENV !== 'test',
    commentRate: { points: e.COMMENT_RATE_LIMIT, windowSeconds: e.COMMENT_RATE_WINDOW_SECONDS },
    replayCap: e.REPLAY_CAP,
    historyRateLimit: e.HISTORY_RATE_LIMIT,
    heartbeat: { intervalMs: e.HEARTBEAT_INTERVAL_MS, timeoutMs: e.HEARTBEAT_TIMEOUT_MS },
    writeBatch: { max: e.WRITE_BATCH_MAX, concurrency: e.WRITE_CONCURRENCY },
    writeQueueMax: e.WRITE_QUEUE_MAX,
    broadcastWindowMs: e.BROADCAST_WINDOW_MS,
    slowConsumerMaxBytes: e.SLOW_CONSUMER_MAX_BYTES,
    apiKeys: parseApiKeys(e.API_KEYS),
    metricsToken: e.METRICS_TOKEN,
    apiRatePerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    admin: e.ADMIN_LOGIN && e.ADMIN_PASSWORD ? { login: e.ADMIN_LOGIN, password: e.ADMIN_PASSWORD } : undefined,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    cookieSecure: e.COOKIE_SECURE === 'true',
    gatewayWorker: {
      path: e.GW_PATH,
      wsPort: e.GW_WS_PORT,
      timeZone: e.GW_TIMEZONE,
      pingIntervalSeconds: e.GW_PING_INTERVAL_SECONDS,
      pingNotResponseLimit: e.GW_PING_NOT_RESPONSE_LIMIT,
      register: e.GW_REGISTER_PORT === 'off' ? undefined : { host: e.GW_REGISTER_HOST, port: e.GW_REGISTER_PORT },
      inner: e.GW_INNER_PORT === 'off' ? undefined : { host: e.GW_INNER_HOST, port: e.GW_INNER_PORT },
      secretKey: e.GW_SECRET_KEY,
    },
  };
}
