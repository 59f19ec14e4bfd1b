import { afterEach, describe, expect, it } from 'vitest';
import { createLiveSocket, type LiveSocket } from '../../app/_lib/socket.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

/** The browser's connection rules (app/_lib/socket.ts) against real servers. */
const sockets: LiveSocket[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function connect(url: string): { socket: LiveSocket; inits: string[]; reasons: string[] } {
  const socket = createLiveSocket(url, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
  sockets.push(socket);
  const inits: string[] = [];
  const reasons: string[] = [];
  socket.on('init', (f) => inits.push(f.instanceId));
  socket.on('disconnect', (r) => reasons.push(r));
  return { socket, inits, reasons };
}

describe('browser connection rules', () => {
  it('reconnects after a graceful shutdown, to whichever instance now answers', async () => {
    const first = await startTestServer({ env: { INSTANCE_ID: 'first' } });
    const port = first.port; // the second instance takes over the same address
    servers.push(first);
    const c = connect(first.url);
    await waitFor(() => c.inits.length === 1, 5_000, 'first init');
    const shutdownNotices: unknown[] = [];
    c.socket.on('server:shutdown', (p) => shutdownNotices.push(p));
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await waitFor(() => c.reasons.length > 0, 5_000, 'the disconnect');
    expect(shutdownNotices).toHaveLength(1);
    const second = await startTestServer({ dataDir: first.dataDir, env: { PORT: String(port), INSTANCE_ID: 'second' } });
    servers.push(second);
    await waitFor(() => c.inits.includes('second'), 10_000, 'reconnect to the new instance');
  });

  it('stays disconnected after a kick until asked to reconnect', async () => {
    const server = await startTestServer();
    servers.push(server);
    const c = connect(server.url);
    await waitFor(() => c.inits.length === 1, 5_000, 'init');
    const closed: unknown[] = [];
    c.socket.on('server:close', (p) => closed.push(p.message));
    await server.runtime.gateway.service.closeClient(c.socket.id!, 'Bye for now');
    await waitFor(() => c.reasons.length === 1, 5_000, 'the kick');
    expect(closed).toEqual(['Bye for now']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(c.socket.connected).toBe(false);
    expect(c.inits).toHaveLength(1);
  });
});
