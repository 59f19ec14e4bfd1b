import { createApiKeyRepository } from '../../server/gateway/http/api-key.repository.ts';
import { hashApiKey, newApiKeySecret } from '../../server/gateway/http/api-keys.ts';
import type { AdminCommand } from './command.ts';

const command: AdminCommand = {
  usage: 'create-api-key <name>   create a push-API key; the secret is printed once and only its sha256 is stored',
  async run([name], { db }) {
    if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error('Give the key a name: 1-64 letters, digits, _ . -');
    const secret = newApiKeySecret();
    await createApiKeyRepository(db.prisma).create(name, hashApiKey(secret));
    console.log(`API key "${name}" created. Send it as "Authorization: Bearer <key>"; it is not shown again:\n${secret}`);
  },
};
export default command;
