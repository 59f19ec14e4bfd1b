import type http from 'node:http';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Database } from './db/client.ts';
import type { Comment } from '../shared/contract.ts';
import { DomainEventBus } from './events.ts';
import { createSessionSigner, type SessionSigner } from './identity/session.ts';
import { createUserRepository } from './identity/user.repository.ts';
import { createAuthenticator } from './identity/authenticate.ts';
import { createLimiter } from './limits/rate-limits.ts';
import { createCommentService } from './messages/comment.service.ts';
import { createMessageRepository, type NewComment } from './messages/message.repository.ts';
import { WriteBatcher } from './messages/write-batcher.ts';
import { MemoryPresenceStore, type PresenceStore } from './presence/presence.store.ts';
import { RedisPresenceStore } from './presence/redis-presence.store.ts';
import { createIoServer } from './realtime/io.ts';
import { JoinNoticeCoalescer } from './realtime/join-notices.ts';
import { PresenceBroadcaster } from './realtime/presence-broadcaster.ts';
import type { RedisConnections } from './realtime/redis.ts';
import { registerRoomHandlers, trackLiveRoomLeaves, type RoomAccess } from './realtime/room.handlers.ts';
import { groupRoom } from './realtime/types.ts';
import { createLobbyService } from './rooms/lobby.service.ts';
import { RoomCache } from './rooms/room-cache.ts';
import { createRoomRepository } from './rooms/room.repository.ts';
import { createGatewayModule } from './gateway/gateway.module.ts';
import { createModerationModule } from './moderation/moderation.module.ts';

export interface AppDeps {
  httpServer: http.Server;
  config: Config;
  log: Logger;
  db: Database;
  redis: RedisConnections | undefined;
  sessionSecret: string;
}

export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  instanceId: string;
  uptimeSeconds: number;
  database: { kind: Database['kind']; ready: boolean };
  redis: { configured: boolean; up: boolean };
  connections: number;
}

const openAccess: RoomAccess = {
  restrictionFor: async () => null,
  canModerate: async (user) => user?.role === 'admin',
};

/** Wires the services onto an HTTP server; server/index.ts owns process concerns (env, listen, signals). */
export function createApplication(deps: AppDeps) {
  const { config, log, db, redis } = deps;
  const events = new DomainEventBus();
  const signer: SessionSigner = createSessionSigner(deps.sessionSecret, { secureCookies: config.cookieSecure });
  const users = createUserRepository(db.prisma);
  const authenticate = createAuthenticator(signer, users);
  const roomRepo = createRoomRepository(db.prisma);
  const messages = createMessageRepository(db.prisma);
  const rooms = new RoomCache(roomRepo);

  const presence: PresenceStore = redis
    ? new RedisPresenceStore({ redis: redis.cmd, instanceId: config.instanceId, log, keyPrefix: config.clusterPrefix })
    : new MemoryPresenceStore();
  const batcher = new WriteBatcher<NewComment, Comment>({
    write: (items) => messages.insertBatch(items),
    maxBatch: config.writeBatch.max,
    // PGlite has one connection: parallel transactions would only queue behind each other.
    concurrency: db.kind === 'pglite' ? 1 : config.writeBatch.concurrency,
    onBatch: (size, ms, error) => {
      if (error) log.error({ size, ms, err: (error as Error).message }, 'comment batch failed');
    },
  });
  const limiter = createLimiter({
    prefix: 'comment',
    points: config.commentRate.points,
    durationSeconds: config.commentRate.windowSeconds,
    redis: redis?.cmd,
  });
  const comments = createCommentService({ rooms, users, messages, batcher, limiter, events, replayCap: config.replayCap });
  const lobby = createLobbyService({ rooms: roomRepo, users, presence });
  // Abuse limits on the HTTP side: guest identities per client address, rooms per user.
  const httpLimits = {
    newSession: createLimiter({ prefix: 'session', points: 30, durationSeconds: 60, redis: redis?.cmd }),
    newRoom: createLimiter({ prefix: 'room', points: 5, durationSeconds: 600, redis: redis?.cmd }),
  };
  let access: RoomAccess = openAccess;

  // eslint-disable-next-line prefer-const -- assigned once the io server exists (its handlers close over it)
  let io: ReturnType<typeof createIoServer>;
  const broadcaster = new PresenceBroadcaster(
    presence,
    (p) => {
      io.to(groupRoom(p.roomId)).emit('presence', p);
      events.emit('presence', p.roomId, { connections: p.connections, users: p.users });
    },
    log,
  );
  const notices = new JoinNoticeCoalescer((n) => io.to(groupRoom(n.roomId)).emit('join', n));
  presence.onExternalChange((roomIds) => roomIds.forEach((r) => broadcaster.markDirty(r)));

  io = createIoServer({
    httpServer: deps.httpServer,
    config,
    log,
    authenticate,
    redis,
    onConnection: (socket) =>
      registerRoomHandlers(socket, {
        io,
        log,
        comments,
        messages,
        presence,
        broadcaster,
        notices,
        events,
        access: { restrictionFor: (u, r) => access.restrictionFor(u, r), canModerate: (u, r) => access.canModerate(u, r) },
        replayCap: config.replayCap,
        isReady: db.isReady,
      }),
  });
  trackLiveRoomLeaves({ io, presence, broadcaster, log });
  const { gateway, apiAuth } = createGatewayModule({ io, log, rooms, config, prisma: db.prisma, redis });
  const mod = createModerationModule({
    io, log, config, prisma: db.prisma, redis: redis?.cmd, events, presence, rooms, roomRepo, users, comments,
    setAccess: (next) => (access = next),
  });

  if (redis) {
    redis.onLost(() => {
      io.local.emit('notice', {
        kind: 'warning',
        text: 'Lost contact with the other servers: the room may be incomplete until it is back.',
        sentAt: new Date().toISOString(),
      });
    });
    redis.onRecovered(() => {
      void (presence as RedisPresenceStore).republish().catch(() => {});
      // Pub/sub dropped whatever was published while Redis was away: clients replay from the database.
      io.local.emit('resync', { reason: 'redis-recovered' });
    });
  }

  const startedAt = Date.now();
  // Connection problems are retried and logged by the database module; health only says ready or not.
  db.ready.then(
    () => lobby.ensureDefaultRoom().catch((err: Error) => log.error({ err: err.message }, 'default room')),
    () => {},
  );

  async function health(): Promise<Health> {
    let dbOk = db.isReady();
    if (dbOk) dbOk = await db.ping().then(() => true, () => false);
    const redisUp = redis ? redis.isUp() : false;
    return {
      status: !dbOk ? 'unavailable' : redis && !redisUp ? 'degraded' : 'ok',
      instanceId: config.instanceId,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database: { kind: db.kind, ready: dbOk },
      redis: { configured: Boolean(redis), up: redisUp },
      connections: io.engine.clientsCount,
    };
  }

  async function start(): Promise<void> {
    if (presence instanceof RedisPresenceStore) await presence.start();
    await mod.start(db.ready);
  }

  /** Graceful stop: clients told to reconnect elsewhere, in-flight writes finished, connections closed. */
  async function close(): Promise<void> {
    io.local.emit('server:shutdown', { reconnectInMs: 500 + Math.floor(Math.random() * 1500) });
    await batcher.drain();
    await mod.stop().catch((err: Error) => log.warn({ err: err.message }, 'stats final flush failed'));
    broadcaster.close();
    notices.close();
    await presence.close();
    io.local.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }

  return {
    config,
    log,
    db,
    redis,
    io,
    events,
    signer,
    /** Session token → user, with staff roles checked against the database. Use this, not signer.verify. */
    authenticate,
    users,
    roomRepo,
    rooms,
    messages,
    comments,
    lobby,
    httpLimits,
    /** GatewayWorker's Gateway API (push, groups, uids, sessions, presence queries), cluster-wide. */
    gateway,
    /** Moderation (sanctions, room rules, audit), room stats and staff sign-in. */
    moderation: mod.moderation,
    moderationRepo: mod.moderationRepo,
    modConsole: mod.console,
    stats: mod.stats,
    staff: mod.staff,
    apiAuth,
    presence,
    broadcaster,
    health,
    start,
    close,
    /** Moderation replaces the default access rules. */
    setAccess(next: RoomAccess) {
      access = next;
    },
  };
}

export type Runtime = ReturnType<typeof createApplication>;
