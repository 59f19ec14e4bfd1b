import { AppError } from '../../shared/errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import { createStaffRepository } from './staff.repository.ts';
import { createStaffService } from './staff.service.ts';

const tooMany = (wait: number) =>
  new AppError('rate_limited', `Too many attempts; try again in ${Math.ceil(wait / 60_000)} min.`, { retryAfterMs: wait });

/** Staff sign-in (admins and moderators) with its guessing limits, and the ADMIN_LOGIN bootstrap. */
export function createStaffModule(d: { config: Pick<Config, 'admin'>; db: Database; redis: RedisConnections | undefined; log: Logger }) {
  const service = createStaffService(createStaffRepository(d.db.prisma));
  // Online guessing: 10 attempts per login per 5 minutes, on every instance (Redis when configured).
  const loginLimiter = createLimiter({ prefix: 'login', points: 10, durationSeconds: 300, redis: d.redis?.cmd });
  // Per client address too: otherwise one client could try a password against every login (and queue
  // unlimited scrypt runs, each 32 MiB on the shared thread pool) by changing the login each time.
  const addressLimiter = createLimiter({ prefix: 'login-addr', points: 30, durationSeconds: 300, redis: d.redis?.cmd });
  let adminReady: Promise<unknown> = Promise.resolve();

  return {
    ...service,
    /** `address`: the caller's address (clientAddress), for the per-client limit. */
    async login(login: string, password: string, address?: string) {
      const addressWait = address === undefined ? null : await addressLimiter.take(address);
      if (addressWait !== null) throw tooMany(addressWait);
      const wait = await loginLimiter.take(login.toLowerCase());
      if (wait !== null) throw tooMany(wait);
      // Sign-in waits for the ADMIN_LOGIN account so the first login right after start-up cannot miss it.
      await adminReady.catch(() => {});
      return service.login(login, password);
    },
    /** Creates the ADMIN_LOGIN admin once the database is ready (if it does not exist yet). */
    start(dbReady: Promise<void>): void {
      const admin = d.config.admin;
      if (!admin) return;
      adminReady = dbReady
        .then(() => service.ensureAdmin(admin))
        .then((created) => created && d.log.info({ login: admin.login }, 'admin account created from ADMIN_LOGIN'))
        .catch((err: Error) => d.log.error({ err: err.message }, 'could not create the ADMIN_LOGIN admin'));
    },
  };
}

export type StaffModule = ReturnType<typeof createStaffModule>;
