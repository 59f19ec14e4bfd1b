import type http from 'node:http';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Database } from './db/client.ts';
import type { RedisConnections } from './realtime/redis.ts';
import { DomainEventBus } from './events.ts';
import { createHealthCheck } from './health.ts';
import type { Metrics } from './metrics/metrics.ts';
import { createIdentityModule } from './identity/identity.module.ts';
import { createIoServer } from './realtime/io.ts';
import { EventRouter } from './realtime/event-router.ts';
import { createRoomFrames } from './realtime/room-frames.ts';
import { queuesFlushed, totalQueuedBytes, watchSlowConsumers } from './realtime/slow-consumers.ts';
import { releaseHeldWrites } from './realtime/hold-writes.ts';
import { isGroupRoom, type IoServer } from './realtime/types.ts';
import { createPresenceStore, createRecentPresence } from './presence/presence.module.ts';
import { createRoomsModule } from './rooms/rooms.module.ts';
import { createStatsModule } from './stats/stats.module.ts';
import { createStaffModule } from './auth/staff.module.ts';
import { createModerationModule } from './moderation/moderation.module.ts';
import { commentRateLimit } from './messages/rate-limit.check.ts';
import { createMessagesModule, type MessagesModule } from './messages/messages.module.ts';
import { createLiveRoomModule } from './realtime/live-room.module.ts';
import { createStreamsModule } from './streams/streams.module.ts';
import { createGatewayModule } from './gateway/gateway.module.ts';
import { createGatewayWorkerModule } from './gatewayworker/gatewayworker.module.ts';
import { createWebRuntime } from './web-runtime.ts';
import { DEFAULT_ROOM } from './rooms/lobby.service.ts';
import { warmUp } from './warm-up.ts';

/** Longest the graceful stop waits for connections' queued packets to leave before closing them. */
const SHUTDOWN_FLUSH_MS = 1_000;

export interface AppDeps {
  httpServer: http.Server;
  config: Config;
  log: Logger;
  db: Database;
  redis: RedisConnections | undefined;
  sessionSecret: string;
  /** Prometheus metrics, served by server/index.ts at GET /metrics. */
  metrics: Metrics;
}

/**
 * The composition root: every feature module, built once, in dependency order. Each module wires its
 * own internals (and its own socket handlers); what one needs from another is passed here, in plain
 * sight. server/index.ts owns process concerns (env, listen, signals).
 */
export function createApplication(deps: AppDeps) {
  const { config, log, db, redis, httpServer, metrics } = deps;
  const events = new DomainEventBus();
  const identity = createIdentityModule({ config, db, redis, sessionSecret: deps.sessionSecret });
  // Sockets are refused (the client retries) until the database is migrated and the hot paths warm.
  let warm = false;
  const io = createIoServer({ httpServer, config, log, redis, authenticate: identity.authenticate, accepting: () => warm });
  const router = new EventRouter(io);
  const frames = createRoomFrames(io, config.broadcastWindowMs);
  const slowConsumers = watchSlowConsumers(io, { maxBytes: config.slowConsumerMaxBytes, log, onClose: metrics.slowConsumerClosed });
  const presence = createPresenceStore({ config, log, redis });
  const rooms = createRoomsModule({ db, redis, users: identity.users, presence });
  const stats = createStatsModule({ db, redis, presence, events, log });
  const staff = createStaffModule({ config, db, redis, log });
  const moderation = createModerationModule({ io, router, frames, log, acks: metrics.observer, events, db, redis, rooms, users: identity.users, stats });
  const messages = createMessagesModule({
    config,
    log,
    db,
    events,
    rooms: rooms.cache,
    // Every comment passes these, in this order, before it is stored.
    checks: [moderation.checks.sanctions, moderation.checks.roomRules, commentRateLimit({ config, redis, events })],
    clustered: Boolean(redis),
    knownUsers: identity.knownUsers,
    onBatch: metrics.batch,
  });
  const live = createLiveRoomModule({
    io,
    router,
    frames,
    log,
    acks: metrics.observer,
    config,
    redis,
    presence,
    recent: createRecentPresence({ config, redis }),
    comments: messages.comments,
    catchUp: messages.catchUp,
    access: moderation.access,
    events,
    isReady: db.isReady,
  });
  const streams = createStreamsModule({
    io,
    router,
    frames,
    log,
    acks: metrics.observer,
    redis,
    rooms,
    canManage: (user, roomId) => moderation.access.canAppoint(user, roomId),
    audit: moderation.repository.audit,
  });
  const gateway = createGatewayModule({ io, log, rooms: rooms.cache, config, db, redis });
  const gatewayWorker = createGatewayWorkerModule({ io, httpServer, router, config, log, redis, authenticate: identity.authenticate, accepting: () => warm });
  // Seed pages are not engine.io clients: they are counted beside them wherever connections are.
  const connections = () => io.engine.clientsCount + gatewayWorker.seed.connectionCount();
  const health = createHealthCheck({ config, db, redis, connections, isWarm: () => warm });
  observe(metrics, { io, db, redis, events, messages, connections });
  const web = createWebRuntime({ log, identity, rooms, staff, moderation, gateway, messages, streams, health });

  const probe = { id: 'warm-up', name: 'warm-up', tag: '0000', role: 'guest' } as const;
  let markReady: () => void = () => {};
  /** Resolves once the database is migrated and the hot paths are warm: sockets are accepted from then on. */
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function becomeReady(): Promise<void> {
    await db.ready;
    await rooms.lobby.ensureDefaultRoom().catch((err: Error) => log.error({ err: err.message }, 'default room'));
    const room = DEFAULT_ROOM.id;
    await warmUp(log, {
      // Half the pool opened in advance: the first burst does not queue behind connection set-up.
      pool: () => Promise.all(Array.from({ length: 5 }, () => db.ping())),
      room: () => rooms.cache.get(room),
      latestPage: () => messages.catchUp.latestPage(room),
      // Every write connection opened (they are the comment writes' own, see db/client.ts).
      insert: () => Promise.all(Array.from({ length: config.writeBatch.concurrency }, () => messages.repository.insertBatch([]))),
      resume: () => messages.repository.from(room, 0, 1),
      retryLookup: () => messages.repository.findSent(room, probe.id, probe.id),
      sanctions: () => moderation.access.restrictionFor(probe, room),
    });
    warm = true;
    markReady();
  }

  async function start(): Promise<void> {
    await presence.start();
    await gatewayWorker.start();
    stats.start();
    staff.start(db.ready);
    becomeReady().catch((err: Error) => log.error({ err: err.message }, 'start-up failed'));
  }

  /** Graceful stop: clients told to reconnect elsewhere, in-flight writes finished, connections closed. */
  async function close(): Promise<void> {
    io.local.emit('server:shutdown', { reconnectInMs: 500 + Math.floor(Math.random() * 1500) });
    // Acks held for their room frame leave now, and the notice behind them (hold-writes.ts).
    releaseHeldWrites();
    slowConsumers.close();
    await gatewayWorker.close();
    await messages.drain();
    frames.close();
    releaseHeldWrites();
    await stats.stop().catch((err: Error) => log.warn({ err: err.message }, 'stats final flush failed'));
    live.close();
    await presence.close();
    // engine.io discards what a connection still queues when the server closes it.
    await queuesFlushed(io, SHUTDOWN_FLUSH_MS);
    io.local.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }

  return {
    metrics,
    config, log, db, io, events, identity, presence, rooms, stats, staff, moderation, messages, live, streams, gateway, gatewayWorker, web, health, start, ready, close };
}

export type Application = ReturnType<typeof createApplication>;

/** What the metrics read from the modules that own the numbers. */
function observe(
  metrics: Metrics,
  d: { io: IoServer; db: Database; redis: RedisConnections | undefined; events: DomainEventBus; messages: MessagesModule; connections: () => number },
): void {
  const { io, redis } = d;
  d.events.on('comment', metrics.comment);
  metrics.sources({
    connections: d.connections,
    rooms: () => [...io.of('/').adapter.rooms.keys()].filter(isGroupRoom).length,
    writeQueueDepth: d.messages.queueDepth,
    outgoingQueueBytes: () => totalQueuedBytes(io),
    ...(redis ? { redisUp: () => (redis.isUp() ? 1 : 0) } : {}),
    databaseReady: d.db.isReady,
    ...(d.db.pool ? { databasePool: d.db.pool } : {}),
    ...(d.db.writePool ? { databaseWritePool: d.db.writePool } : {}),
  });
}
