import type { PublicUser } from '../../shared/contract.ts';
import type { SessionSigner } from './session.ts';
import type { UserRepository } from './user.repository.ts';

const ROLE_TTL_MS = 10_000;

export type Authenticate = (token: string | undefined) => Promise<PublicUser | null>;

/**
 * Session token → user. A staff role written in a 180-day token would outlive a demotion, so for
 * tokens that claim more than guest the role is read from the database (cached for a few seconds);
 * if it cannot be read, the session counts as a guest's. Guest tokens need no lookup: there is no
 * lower role to fall to, and join storms stay free of extra queries.
 */
export function createAuthenticator(signer: SessionSigner, users: Pick<UserRepository, 'findById'>): Authenticate {
  const roles = new Map<string, { role: PublicUser['role']; at: number }>();
  return async (token) => {
    const user = await signer.verify(token);
    if (!user || user.role === 'guest') return user;
    const cached = roles.get(user.id);
    if (cached && Date.now() - cached.at < ROLE_TTL_MS) return { ...user, role: cached.role };
    const role = await users.findById(user.id).then(
      (row) => row?.role ?? 'guest',
      () => 'guest' as const,
    );
    if (roles.size > 10_000) roles.clear();
    roles.set(user.id, { role, at: Date.now() });
    return { ...user, role };
  };
}
