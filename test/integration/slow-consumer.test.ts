import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveSocket } from '../../app/_lib/socket.ts';
import { rawSocket } from '../support/raw-socket.ts';
import { closeAllClients, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { SLOW_CONSUMER_MAX_BYTES: '65536' } });
});
afterAll(async () => {
  closeAllClients();
  await server?.stop();
});

/** The slow-consumer sweep's own count of the connections it closed. */
async function slowConsumersClosed(): Promise<number> {
  const text = await server.runtime.metrics.registry.metrics();
  return Number(/^liveroom_slow_consumers_closed_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe('slow consumers (a bounded outgoing queue per connection)', () => {
  it('closes a reader that stopped reading, and only that one', { timeout: 30_000 }, async () => {
    const slow = await rawSocket(server.url);
    // Stop reading: the kernel's buffers fill, then the server's own queue for this connection grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const healthy = await server.client();
    let bulkSeen = 0;
    healthy.socket.on('push', (f) => f.event === 'bulk' && bulkSeen++);
    const chunk = 'x'.repeat(60_000);
    const sends = 400; // 24 MB: more than loopback's kernel buffers hold
    for (let i = 0; i < sends; i++) {
      server.runtime.gateway.service.sendToAll({ event: 'bulk', data: chunk });
      // Paced by the healthy client (it reads in this same process): at most ~10 chunks (600 KB) in
      // flight to it, which the kernel's buffers hold, so its server-side queue stays under the cap
      // on a slow machine too. The slow reader's queue grows regardless.
      if (i % 5 === 4) await waitFor(() => bulkSeen >= i - 9, 10_000, 'the healthy client to keep up');
    }
    const live = () => server.runtime.io.of('/').sockets;
    // The sweep may already have closed it while the loop ran (one interval on a slow machine): what
    // matters is that it goes, that the sweep is what closed it, and that it closes nothing else.
    await waitFor(() => !live().has(slow.sid), 10_000, 'the slow reader to be closed');
    await waitFor(() => bulkSeen === sends, 10_000, 'the healthy client to get everything');
    expect(healthy.socket.connected).toBe(true);
    expect(await slowConsumersClosed()).toBe(1);
    slow.ws.terminate();
  });

  it('the web client reconnects after server:close slow_consumer (it resumes by seq), unlike after a kick', async () => {
    const socket = createLiveSocket(server.url, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
    try {
      const inits: string[] = [];
      socket.on('init', (f) => inits.push(f.client_id));
      await waitFor(() => inits.length === 1, 5_000, 'first init');
      const held = server.runtime.io.of('/').sockets.get(inits[0]!);
      held?.emit('server:close', { reason: 'slow_consumer' });
      held?.disconnect(true);
      await waitFor(() => inits.length === 2, 5_000, 'reconnect');
      expect(inits[1]).not.toBe(inits[0]);
    } finally {
      socket.close();
    }
  });
});
