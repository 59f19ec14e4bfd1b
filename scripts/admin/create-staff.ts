import { createStaffRepository } from '../../server/auth/staff.repository.ts';
import { createStaffService } from '../../server/auth/staff.service.ts';
import type { AdminCommand } from './command.ts';
import { LOGIN_RE, readNewPassword } from './staff-password.ts';

/** `create-admin` and `create-moderator`: the same command for two roles. */
export function createStaffCommand(role: 'admin' | 'moderator'): AdminCommand {
  return {
    usage: `create-${role} <login>   create a staff account with the ${role} role (or reset its password); password from $STAFF_PASSWORD, stdin or a prompt`,
    async run([login], { db }) {
      if (!login || !LOGIN_RE.test(login)) throw new Error('Give a login: 1-64 letters, digits, _ . @ -');
      const password = await readNewPassword();
      await createStaffService(createStaffRepository(db.prisma)).upsert(login, password, role);
      console.log(`${role} "${login}" is ready: sign in at /mod/login.`);
    },
  };
}
