import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the socket listeners report of each event they answer (see realtime/handler.ts). */
export interface AckObserver {
  /** Bound once per event when its listener is built, so an ack does no label lookup by event. */
  forEvent(event: string): { ack(code: string, seconds: number): void };
}

/** Gauges read when Prometheus scrapes, from whoever owns the number. */
export interface MetricSources {
  connections(): number;
  rooms(): number;
  writeQueueDepth(): number;
  outgoingQueueBytes(): number;
  /** Only with REDIS_URL: 1 when Redis is reachable. */
  redisUp?: () => number;
  databaseReady(): boolean;
  /** Only with PostgreSQL: the pool's connections and the queries waiting for one. */
  databasePool?: { total(): number; idle(): number; waiting(): number };
  /** Only with PostgreSQL: the same for the comment writes' own connections. */
  databaseWritePool?: { total(): number; idle(): number; waiting(): number };
}

/**
 * Prometheus metrics (prom-client), one registry per application so tests and several apps in one
 * process do not collide. Event-loop lag, GC and memory come from prom-client's default metrics.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'liveroom_' });
  const acks = new Counter({ name: 'liveroom_acks_total', help: 'Socket acks sent, by event and code (ok or an error code)', labelNames: ['event', 'code'], registers: [registry] });
  const ackSeconds = new Histogram({
    name: 'liveroom_ack_seconds',
    help: 'Time from a client event to its ack, by event',
    labelNames: ['event'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const comments = new Counter({ name: 'liveroom_comments_total', help: 'Comments stored (retries not counted)', registers: [registry] });
  const batchSize = new Histogram({
    name: 'liveroom_write_batch_size',
    help: 'Comments per write batch',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  const batchFailures = new Counter({ name: 'liveroom_write_batch_failures_total', help: 'Write batches that failed (their items are retried one by one)', registers: [registry] });
  const unexpected = new Counter({ name: 'liveroom_unexpected_errors_total', help: 'Errors no handler caught (logged; the process keeps running): each is a bug', labelNames: ['kind'], registers: [registry] });
  const slowConsumers = new Counter({ name: 'liveroom_slow_consumers_closed_total', help: 'Connections closed because their outgoing queue passed SLOW_CONSUMER_MAX_BYTES', registers: [registry] });

  const observer: AckObserver = {
    forEvent(event) {
      const latency = ackSeconds.labels({ event });
      // One child per code seen; the set of codes is closed (shared/errors.ts), so this stays small.
      const byCode = new Map<string, Counter.Internal>();
      return {
        ack(code, seconds) {
          let counter = byCode.get(code);
          if (!counter) byCode.set(code, (counter = acks.labels({ event, code })));
          counter.inc();
          latency.observe(seconds);
        },
      };
    },
  };

  return {
    registry,
    observer,
    comment: () => comments.inc(),
    batch(size: number, failed: boolean) {
      batchSize.observe(size);
      if (failed) batchFailures.inc();
    },
    slowConsumerClosed: () => slowConsumers.inc(),
    unexpectedError: (kind: 'exception' | 'rejection') => unexpected.labels({ kind }).inc(),
    /** Registers the gauges read at scrape time (once the modules that own them exist). */
    sources(s: MetricSources): void {
      const gauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      gauge('liveroom_connections', 'Open client connections on this instance (Socket.IO sockets and seed WebSocket pages)', s.connections);
      gauge('liveroom_rooms', 'Rooms with at least one connection on this instance', s.rooms);
      gauge('liveroom_write_queue_depth', 'Comments waiting for a write slot', s.writeQueueDepth);
      gauge('liveroom_outgoing_queue_bytes', 'Bytes queued for all connections and not yet written to the kernel', s.outgoingQueueBytes);
      if (s.redisUp) gauge('liveroom_redis_up', '1 when Redis is reachable', s.redisUp);
      gauge('liveroom_database_ready', '1 when the database is migrated and reachable', () => (s.databaseReady() ? 1 : 0));
      if (s.databasePool) {
        const pool = s.databasePool;
        gauge('liveroom_db_pool_connections', 'PostgreSQL pool connections, busy or idle', pool.total);
        gauge('liveroom_db_pool_idle', 'PostgreSQL pool connections idle', pool.idle);
        gauge('liveroom_db_pool_waiting', 'Queries waiting for a PostgreSQL pool connection', pool.waiting);
      }
      if (s.databaseWritePool) {
        const pool = s.databaseWritePool;
        gauge('liveroom_db_write_pool_connections', 'PostgreSQL connections of the comment writes, busy or idle', pool.total);
        gauge('liveroom_db_write_pool_waiting', 'Comment batches waiting for a write connection', pool.waiting);
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * `GET /metrics` on the main port. With a token configured (METRICS_TOKEN), the scraper must send
 * `Authorization: Bearer <token>`; compared in constant time.
 */
export function metricsHandler(metrics: Metrics, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ ok: false, code: 'unauthenticated', message: 'A metrics token is required.' }));
        return;
      }
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
  };
}
