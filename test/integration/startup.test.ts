import { Writable } from 'node:stream';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startServer, type StartedServer } from '../../server/index.ts';
import { closeAllClients, connectClient } from '../support/client.ts';
import { createTempDatabase, requireService } from '../support/services.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { closeAllSeedPages, openSeedPage } from '../support/seed-page.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  closeAllClients();
  closeAllSeedPages();
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** The HTTP status a WebSocket upgrade gets instead of a connection (undefined: it was accepted). */
function upgradeRefusal(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(undefined);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** A logger whose messages the test reads, in order. */
function capturingLogger() {
  const messages: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), messages };
}

describe('start-up', () => {
  it('accepts sockets (Socket.IO and seed pages) and says "live room ready" only once the database is migrated and warmed up', { timeout: 60_000 }, async () => {
    if (!(await requireService('postgresql'))) return;
    const db = await createTempDatabase('lrstartup');
    cleanups.push(db.drop);
    const target = new URL(db.url);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    cleanups.push(() => proxy.cut());
    await proxy.cut(); // the database is away when the instance starts
    const url = new URL(db.url);
    url.port = String(proxy.port);

    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url.toString(), SESSION_SECRET: 'test-secret-test-secret-test-secret-123', GW_REGISTER_PORT: '0' });
    const { log, messages } = capturingLogger();
    const server: StartedServer = await startServer(config, log, { withNext: false });
    cleanups.push(() => server.stop());

    // Listening (health answers, unavailable), but no socket gets in before the instance can serve it.
    expect((await server.runtime.health()).status).toBe('unavailable');
    await expect(connectClient(server.url)).rejects.toThrow();
    // Seed pages (raw WebSocket at /gw) pass the same gate: 503, not a connection that cannot serve.
    const gwUrl = `${server.url.replace('http', 'ws')}/gw`;
    expect(await upgradeRefusal(gwUrl)).toBe(503);
    expect(messages).not.toContain('live room ready');

    await proxy.start();
    await server.runtime.ready;
    const { init } = await connectClient(server.url);
    expect(init.type).toBe('init');
    const page = await openSeedPage(gwUrl);
    expect(page.clientId).toMatch(/^[0-9a-f]{20}$/);
    expect((await server.runtime.health()).status).toBe('ok');
    const migrated = messages.indexOf('database migrated');
    expect(migrated).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('live room ready')).toBeGreaterThan(migrated);
  });
});
