import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

describe('live room on the embedded database', () => {
  it('sends init with the client id on connect', async () => {
    const { socket, init } = await server.client();
    expect(init.type).toBe('init');
    expect(init.client_id).toBe(socket.id);
    expect(init.msg).toBe('connect is success');
  });

  it('announces a join to the room with the server time', async () => {
    const ana = await server.guest('Ana');
    const watcher = await server.client();
    const notices = collectRoom(watcher.socket, 'join');
    expect((await call(watcher.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const before = Date.now();
    const c = await server.client(ana.token);
    const ack = await call(c.socket, 'join', { roomId: 'main-stage' });
    expect(ack.ok).toBe(true);
    await waitFor(() => notices.some((n) => n.userName === 'Ana'), 3_000, 'join notice');
    const n = notices.find((x) => x.userName === 'Ana')!;
    expect(n.msg).toBe('enters the Room');
    expect(n.roomId).toBe('main-stage');
    expect(Math.abs(Date.parse(n.joinTime) - before)).toBeLessThan(5_000);
  });

  it('stores, acks and broadcasts a comment in order', async () => {
    const bo = await server.guest('Bo');
    const a = await server.client(bo.token);
    const b = await server.client();
    await call(a.socket, 'join', { roomId: 'main-stage' });
    await call(b.socket, 'join', { roomId: 'main-stage' });
    const seen = collectRoom(b.socket, 'say');
    const acks = await Promise.all(
      [1, 2, 3].map((i) => call(a.socket, 'say', { roomId: 'main-stage', content: `hello ${i}`, clientMsgId: `msg-order-${i}` })),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    const seqs = acks.map((x) => (x.ok ? x.data.seq : -1));
    expect(new Set(seqs).size).toBe(3);
    await waitFor(() => seen.length >= 3, 3_000, 'broadcasts');
    expect(seen.map((c) => c.content).sort()).toEqual(['hello 1', 'hello 2', 'hello 3']);
    const row = await server.runtime.db.prisma.message.findFirst({ where: { roomId: 'main-stage', clientMsgId: 'msg-order-1' } });
    expect(row?.content).toBe('hello 1');
  });
});

describe('connection origin (production mode)', () => {
  it('refuses a browser connection from another site and accepts its own', async () => {
    const { io } = await import('socket.io-client');
    const prod = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      const attempt = (origin: string) =>
        new Promise<boolean>((resolve) => {
          const s = io(prod.url, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, forceNew: true });
          s.once('init', () => {
            s.close();
            resolve(true);
          });
          s.once('connect_error', () => {
            s.close();
            resolve(false);
          });
        });
      expect(await attempt('https://evil.example')).toBe(false);
      expect(await attempt(prod.url)).toBe(true);
    } finally {
      await prod.stop();
    }
  });
});

describe('session roles', () => {
  it('takes a staff role from the database, not from the token', async () => {
    const prisma = server.runtime.db.prisma;
    await prisma.user.create({ data: { id: 'staff-keep', name: 'Keeper', role: 'admin' } });
    await prisma.user.create({ data: { id: 'staff-demoted', name: 'Former', role: 'guest' } });
    const sign = (id: string, name: string) => server.runtime.identity.signer.sign({ id, name, role: 'admin' });

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
