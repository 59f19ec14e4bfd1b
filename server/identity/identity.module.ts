import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import { createAuthenticator } from './authenticate.ts';
import { createSessionSigner } from './session.ts';
import { KnownUsers } from './known-users.ts';
import { createUserRepository } from './user.repository.ts';

/** Who is talking: signed session cookies, guest users, and the session → user check everything uses. */
export function createIdentityModule(d: { config: Pick<Config, 'cookieSecure'>; db: Database; redis: RedisConnections | undefined; sessionSecret: string }) {
  const signer = createSessionSigner(d.sessionSecret, { secureCookies: d.config.cookieSecure });
  const knownUsers = new KnownUsers();
  const users = createUserRepository(d.db.prisma, knownUsers);
  return {
    signer,
    users,
    /** Users whose row exists: the comment insert reads and fills the same set (see KnownUsers). */
    knownUsers,
    /** Session token → user, with staff roles checked against the database. Use this, not signer.verify. */
    authenticate: createAuthenticator(signer, users),
    /** Abuse limit: new guest identities per client address. */
    newSessionLimit: createLimiter({ prefix: 'session', points: 30, durationSeconds: 60, redis: d.redis?.cmd }),
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
