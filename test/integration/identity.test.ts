import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllClients, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

describe('session roles', () => {
  it('takes a staff role from the database, not from the token', async () => {
    const prisma = server.runtime.db.prisma;
    await prisma.user.create({ data: { id: 'staff-keep', name: 'Keeper', role: 'admin' } });
    await prisma.user.create({ data: { id: 'staff-demoted', name: 'Former', role: 'guest' } });
    const sign = (id: string, name: string) => server.runtime.signer.sign({ id, name, role: 'admin' });

    const kept = await server.client(await sign('staff-keep', 'Keeper'));
    expect(kept.init.user?.role).toBe('admin');
    // Demoted after the token was issued: the token still says admin, the session does not.
    const demoted = await server.client(await sign('staff-demoted', 'Former'));
    expect(demoted.init.user?.role).toBe('guest');
    // A token for a user the database does not know is no staff session either.
    const unknown = await server.client(await sign('staff-unknown', 'Ghost'));
    expect(unknown.init.user?.role).toBe('guest');
  });
});
