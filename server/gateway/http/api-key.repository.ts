import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/client.ts';

export interface StoredApiKey {
  id: string;
  name: string;
  hash: string;
}

/** API keys created by `npm run admin -- create-api-key`; only the sha256 of each secret is stored. */
export function createApiKeyRepository(prisma: PrismaClient) {
  return {
    async findActiveByHash(hash: string): Promise<StoredApiKey | null> {
      const row = await prisma.apiKey.findUnique({ where: { hash } });
      return row && !row.revokedAt ? { id: row.id, name: row.name, hash: row.hash } : null;
    },
    async create(name: string, hash: string): Promise<StoredApiKey> {
      const row = await prisma.apiKey.create({ data: { id: randomUUID(), name, hash } });
      return { id: row.id, name: row.name, hash: row.hash };
    },
    async revoke(name: string): Promise<number> {
      const { count } = await prisma.apiKey.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
      return count;
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
