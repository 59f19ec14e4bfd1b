import { createStaffCommand } from './create-staff.ts';

export default createStaffCommand('admin');
