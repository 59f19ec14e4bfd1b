import type { PublicUser } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { userTag } from '../identity/session.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import type { StaffRepository, StaffRole } from './staff.repository.ts';

export function createStaffService(repo: StaffRepository) {
  return {
    /** The signed-in identity for a correct login and password; one vague error otherwise. */
    async login(login: string, password: string): Promise<PublicUser> {
      const row = await repo.findByLogin(login);
      const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
      if (!row || !ok || row.role === 'guest') throw new AppError('unauthenticated', 'Wrong login or password.');
      return { id: row.id, name: row.name, role: row.role, tag: userTag(row.id) };
    },
    async upsert(login: string, password: string, role: StaffRole): Promise<void> {
      await repo.upsert({ login, name: login.slice(0, 32), role, passwordHash: await hashPassword(password) });
    },
    /** First start with ADMIN_LOGIN/ADMIN_PASSWORD: create that admin once; later starts leave it alone. */
    async ensureAdmin(admin: { login: string; password: string }): Promise<boolean> {
      const existing = await repo.findByLogin(admin.login);
      if (existing) return false;
      return repo.createIfMissing({ login: admin.login, name: admin.login.slice(0, 32), role: 'admin', passwordHash: await hashPassword(admin.password) });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
