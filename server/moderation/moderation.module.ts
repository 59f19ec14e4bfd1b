import type { Redis } from 'ioredis';
import { AppError } from '../../shared/errors.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import { createStaffRepository } from '../auth/staff.repository.ts';
import { createStaffService } from '../auth/staff.service.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import type { CommentService } from '../messages/comment.service.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { RoomAccess } from '../realtime/room.handlers.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import type { RoomRepository } from '../rooms/room.repository.ts';
import { RedisStatsStore } from '../stats/redis-stats.store.ts';
import { createStatsRepository } from '../stats/stats.repository.ts';
import { StatsService } from '../stats/stats.service.ts';
import { MemoryStatsStore } from '../stats/stats.store.ts';
import { createConsoleService } from './console.service.ts';
import { ModerationAccess } from './moderation.access.ts';
import { createModerationGuards } from './moderation.guards.ts';
import { registerModerationHandlers } from './moderation.handlers.ts';
import { createSocketOutbox } from './moderation.outbox.ts';
import { createModerationRepository } from './moderation.repository.ts';
import { createModerationService } from './moderation.service.ts';

export interface ModerationModuleDeps {
  io: IoServer;
  log: Logger;
  config: Config;
  prisma: PrismaClient;
  redis: Redis | undefined;
  events: DomainEventBus;
  presence: PresenceStore;
  rooms: RoomCache;
  roomRepo: RoomRepository;
  users: UserRepository;
  comments: CommentService;
  setAccess: (access: RoomAccess) => void;
}

/** Roles, sanctions, room rules, the audit log and room statistics, wired onto the running app. */
export function createModerationModule(d: ModerationModuleDeps) {
  const repo = createModerationRepository(d.prisma);
  const access = new ModerationAccess(repo, d.rooms);
  const stats = new StatsService({
    store: d.redis ? new RedisStatsStore(d.redis) : new MemoryStatsStore(),
    repo: createStatsRepository(d.prisma),
    presence: d.presence,
    events: d.events,
    log: d.log,
  });
  const outbox = createSocketOutbox(d.io, { clustered: Boolean(d.redis), log: d.log, onInvalidate: (msg) => access.invalidate(msg) });
  const moderation = createModerationService({ repo, access, rooms: d.roomRepo, users: d.users, stats, outbox, log: d.log });
  const staffService = createStaffService(createStaffRepository(d.prisma));
  let adminReady: Promise<unknown> = Promise.resolve();
  // Online guessing: 10 attempts per login per 5 minutes, on every instance (Redis when configured).
  const loginLimiter = createLimiter({ prefix: 'login', points: 10, durationSeconds: 300, redis: d.redis });
  // Per client address too: otherwise one client could try a password against every login (and queue
  // unlimited scrypt runs, each 32 MiB on the shared thread pool) by changing the login each time.
  const addressLimiter = createLimiter({ prefix: 'login-addr', points: 30, durationSeconds: 300, redis: d.redis });
  const tooMany = (wait: number) =>
    new AppError('rate_limited', `Too many attempts; try again in ${Math.ceil(wait / 60_000)} min.`, { retryAfterMs: wait });
  const staff = {
    ...staffService,
    /** `address`: the caller's address (clientAddress), for the per-client limit. */
    async login(login: string, password: string, address?: string) {
      const addressWait = address === undefined ? null : await addressLimiter.take(address);
      if (addressWait !== null) throw tooMany(addressWait);
      const wait = await loginLimiter.take(login.toLowerCase());
      if (wait !== null) throw tooMany(wait);
      // Sign-in waits for the ADMIN_LOGIN account so the first login right after start-up cannot miss it.
      await adminReady.catch(() => {});
      return staffService.login(login, password);
    },
  };

  d.setAccess(access);
  for (const guard of createModerationGuards(access, d.redis)) d.comments.addGuard(guard);
  d.io.on('connection', (socket) => registerModerationHandlers(socket, moderation, d.log));
  d.io.on('mod:invalidate', (msg, ack) => {
    access.invalidate(msg);
    ack(true);
  });

  return {
    moderation,
    moderationRepo: repo,
    console: createConsoleService({ rooms: d.roomRepo, stats, repo, moderation }),
    access,
    stats,
    staff,
    /** Starts the stats timers and creates the ADMIN_LOGIN admin once (after the database is ready). */
    async start(dbReady: Promise<void>): Promise<void> {
      stats.start();
      const admin = d.config.admin;
      if (admin) {
        adminReady = dbReady
          .then(() => staff.ensureAdmin(admin))
          .then((created) => created && d.log.info({ login: admin.login }, 'admin account created from ADMIN_LOGIN'))
          .catch((err: Error) => d.log.error({ err: err.message }, 'could not create the ADMIN_LOGIN admin'));
      }
    },
    stop: () => stats.stop(),
  };
}

export type ModerationModule = ReturnType<typeof createModerationModule>;
