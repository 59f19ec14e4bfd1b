import { createStaffRepository } from '../../server/auth/staff.repository.ts';
import { createStaffService } from '../../server/auth/staff.service.ts';
import type { AdminCommand } from './command.ts';
import { LOGIN_RE, readNewPassword } from './staff-password.ts';

const command: AdminCommand = {
  usage: 'create-admin <login>   create a staff account with the admin role (or reset its password); password from $STAFF_PASSWORD, stdin or a prompt',
  async run([login], { db }) {
    if (!login || !LOGIN_RE.test(login)) throw new Error('Give a login: 1-64 letters, digits, _ . @ -');
    const password = await readNewPassword();
    await createStaffService(createStaffRepository(db.prisma)).upsert(login, password, 'admin');
    console.log(`admin "${login}" is ready: sign in at /mod/login.`);
  },
};
export default command;
