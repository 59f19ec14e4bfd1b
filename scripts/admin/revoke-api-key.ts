import { createApiKeyRepository } from '../../server/gateway/http/api-key.repository.ts';
import type { AdminCommand } from './command.ts';

const command: AdminCommand = {
  usage: 'revoke-api-key <name>   revoke every active push-API key with that name (keys of API_KEYS: edit the env)',
  async run([name], { db }) {
    if (!name) throw new Error('Give the name of the key to revoke.');
    const count = await createApiKeyRepository(db.prisma).revoke(name);
    console.log(count ? `Revoked ${count} key(s) named "${name}".` : `No active key named "${name}".`);
  },
};
export default command;
