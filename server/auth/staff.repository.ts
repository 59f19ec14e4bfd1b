import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/client.ts';

export type StaffRole = 'moderator' | 'admin';

export interface StaffRow {
  id: string;
  name: string;
  role: 'guest' | 'moderator' | 'admin';
  login: string | null;
  passwordHash: string | null;
}

/** Staff accounts (a login and a password hash on a User row) and room moderator appointments. */
export function createStaffRepository(prisma: PrismaClient) {
  return {
    async findByLogin(login: string): Promise<StaffRow | null> {
      return prisma.user.findUnique({ where: { login } });
    },
    /** Creates the account, or resets the password and role of an existing login. */
    async upsert(input: { login: string; name: string; role: StaffRole; passwordHash: string }): Promise<StaffRow> {
      return prisma.user.upsert({
        where: { login: input.login },
        create: { id: randomUUID(), login: input.login, name: input.name, role: input.role, passwordHash: input.passwordHash },
        update: { role: input.role, passwordHash: input.passwordHash },
      });
    },
    async createIfMissing(input: { login: string; name: string; role: StaffRole; passwordHash: string }): Promise<boolean> {
      const existing = await prisma.user.findUnique({ where: { login: input.login } });
      if (existing) return false;
      await prisma.user.create({
        data: { id: randomUUID(), login: input.login, name: input.name, role: input.role, passwordHash: input.passwordHash },
      });
      return true;
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
