import { afterEach, describe, expect, it } from 'vitest';
import { call, closeAllClients, startTestServer, type TestServer } from '../support/server.ts';

afterEach(() => closeAllClients());

describe('server restart on the embedded database', () => {
  it('keeps history and sessions, and a client resumes exactly where it stopped', async () => {
    let server: TestServer = await startTestServer();
    const { dataDir } = server;
    const ana = await server.guest('Ana');
    const c1 = await server.client(ana.token);
    await call(c1.socket, 'join', { roomId: 'main-stage' });
    const before: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = await call(c1.socket, 'say', { roomId: 'main-stage', content: `before ${i}`, clientMsgId: `restart-a-${i}` });
      if (ack.ok) before.push(ack.data.seq);
    }
    closeAllClients();
    await server.stop();

    server = await startTestServer({ dataDir });
    try {
      // The same session token still identifies Ana after the restart.
      const c2 = await server.client(ana.token);
      expect(c2.init.user?.id).toBe(ana.user.id);
      const fresh = await call(c2.socket, 'join', { roomId: 'main-stage' });
      if (!fresh.ok) throw new Error(fresh.message);
      expect(fresh.data.messages.map((m) => m.seq)).toEqual(before);
      const ack = await call(c2.socket, 'say', { roomId: 'main-stage', content: 'after restart', clientMsgId: 'restart-b-0' });
      expect(ack.ok && ack.data.seq).toBe(before.at(-1)! + 1);
      const watcher = await server.client();
      const resumed = await call(watcher.socket, 'join', { roomId: 'main-stage', lastSeq: before.at(-1)! });
      expect(resumed.ok && resumed.data.messages.map((m) => m.content)).toEqual(['after restart']);
    } finally {
      await server.stop();
    }
  });
});
