import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/db/client.ts';
import { createUserRepository } from '../../server/identity/user.repository.ts';

describe('users.ensure', () => {
  it('writes a sender once however many of its comments arrive while the first write runs', async () => {
    const inserts: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const prisma = {
      user: {
        createMany: async ({ data }: { data: { id: string }[] }) => {
          inserts.push(...data.map((d) => d.id));
          await held;
          return { count: 1 };
        },
      },
    } as unknown as PrismaClient;
    const users = createUserRepository(prisma);
    const ana = { id: 'u-ana', name: 'Ana', tag: 'aaaa', role: 'guest' } as const;
    const burst = Promise.all([users.ensure(ana), users.ensure(ana), users.ensure(ana)]);
    release();
    await burst;
    await users.ensure(ana);
    expect(inserts).toEqual(['u-ana']);
  });

  it('tries again after a failed write', async () => {
    let calls = 0;
    const prisma = {
      user: {
        createMany: async () => {
          if (++calls === 1) throw new Error('database away');
          return { count: 1 };
        },
      },
    } as unknown as PrismaClient;
    const users = createUserRepository(prisma);
    const bo = { id: 'u-bo', name: 'Bo', tag: 'bbbb', role: 'guest' } as const;
    await expect(users.ensure(bo)).rejects.toThrow('database away');
    await users.ensure(bo);
    expect(calls).toBe(2);
  });
});
