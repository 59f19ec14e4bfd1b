import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSocket } from '../support/raw-socket.ts';
import { call, closeAllClients, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  // Without Next: nothing installs a process-wide error handler, so a crash would end the test process.
  server = await startTestServer({ withNext: false });
});
afterAll(async () => {
  closeAllClients();
  await server?.stop();
});

describe('hostile frames', () => {
  it('a deeply nested payload gets a coded ack and costs neither the connection nor the process', async () => {
    const { ws, frames } = await rawSocket(server.url);
    const depth = 20_000;
    ws.send(`421["say",${'['.repeat(depth)}${']'.repeat(depth)}]`);
    await new Promise((r) => setTimeout(r, 300));
    const ack = frames.find((f) => f.startsWith('431['));
    expect(ack).toBeDefined();
    expect(JSON.parse(ack!.slice(3))[0]).toMatchObject({ ok: false });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // The server still serves everyone else.
    const { socket } = await server.client();
    expect((await call(socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    ws.close();
  });
});
