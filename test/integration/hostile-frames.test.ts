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

  it('limits history pages per connection: a reader that keeps asking is told to wait, others are served', async () => {
    const { socket } = await server.client();
    expect((await call(socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const acks = await Promise.all(Array.from({ length: 60 }, () => call(socket, 'history', { roomId: 'main-stage', limit: 200 })));
    const refused = acks.filter((a) => !a.ok);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(20);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    // Another connection still gets its page.
    const other = await server.client();
    expect((await call(other.socket, 'history', { roomId: 'main-stage' })).ok).toBe(true);
  });

  it.each(['/api/v1/groups/%ff', '/rooms/%ff', '/api/mod/rooms/%E0%A4%A'])('answers a malformed %%-escape in %s with 400 invalid_payload', async (path) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, code: 'invalid_payload' });
  });
});
