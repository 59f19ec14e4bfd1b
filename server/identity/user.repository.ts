import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/client.ts';
import type { PublicUser } from '../../shared/contract.ts';
import { KnownUsers } from './known-users.ts';
import { userTag } from './session.ts';

/**
 * `known`: users whose row exists (shared with the comment insert, see KnownUsers). A session whose row
 * is missing (a wiped embedded database, say) gets it recreated once instead of failing every write.
 */
export function createUserRepository(prisma: PrismaClient, known = new KnownUsers()) {
  const ensuring = new Map<string, Promise<void>>();
  async function ensureRow(user: PublicUser): Promise<void> {
    // INSERT … ON CONFLICT DO NOTHING: unlike upsert (select, then insert), concurrent first comments of
    // one user on two instances cannot both try the insert and fail one of them with a unique violation.
    await prisma.user.createMany({ data: [{ id: user.id, name: user.name, role: user.role }], skipDuplicates: true });
    known.add(user.id);
  }
  return {
    async createGuest(name: string): Promise<PublicUser> {
      const row = await prisma.user.create({ data: { id: randomUUID(), name, role: 'guest' } });
      known.add(row.id);
      return { id: row.id, name: row.name, role: row.role, tag: userTag(row.id) };
    },
    async rename(user: PublicUser, name: string): Promise<PublicUser> {
      await prisma.user.upsert({ where: { id: user.id }, create: { id: user.id, name, role: user.role }, update: { name } });
      known.add(user.id);
      return { ...user, name };
    },
    ensure(user: PublicUser): Promise<void> {
      if (known.has(user.id)) return Promise.resolve();
      // A sender's comments that arrive while its first insert runs wait for that one (measured: 6
      // inserts per new sender at 5 comments/s each, when every miss ran its own).
      let pending = ensuring.get(user.id);
      if (!pending) {
        pending = ensureRow(user).finally(() => ensuring.delete(user.id));
        ensuring.set(user.id, pending);
      }
      return pending;
    },
    async findById(id: string) {
      return prisma.user.findUnique({ where: { id } });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
