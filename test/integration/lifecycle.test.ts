import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as ioc } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { DatabaseSetupError, openDatabase } from '../../server/db/client.ts';
import { createLogger } from '../../server/logger.ts';
import { createSessionSigner } from '../../server/identity/session.ts';
import type { TestSocket } from '../support/server.ts';

/**
 * The real entry point (server/index.ts) as a child process in production mode, as `npm run serve` runs
 * it. Needs the `next build` output, which `npm test` produces first.
 */
const root = path.resolve(import.meta.dirname, '../..');
const SECRET = 'lifecycle-secret-lifecycle-secret-1234';
const children: ChildProcess[] = [];

/**
 * Starts server/index.ts on free ports (PORT=0, and GW_REGISTER_PORT=0 instead of GatewayWorker's 1238);
 * `listening` resolves with its URL from the start-up log.
 */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', SESSION_SECRET: SECRET, GW_REGISTER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let announce: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const onData = (d: Buffer) => {
    output += d;
    const url = /"url":"(http:\/\/[^"]+)"[^\n]*"listening/.exec(output)?.[1];
    if (url) announce(url.replace('localhost', '127.0.0.1'));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output, listening };
}

async function health(url: string): Promise<{ status: number; body: { status: string; database: { ready: boolean }; redis: { up: boolean } } } | null> {
  try {
    const res = await fetch(`${url}/api/health`);
    return { status: res.status, body: (await res.json()) as never };
  } catch {
    return null;
  }
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('process lifecycle', () => {
  it('exits with a clear message naming the variable on a malformed environment', async () => {
    const s = serve({ PORT: 'abc' });
    expect(await s.exited).toBe(78);
    expect(s.output()).toContain('PORT');
  });

  it('names the folder when the embedded database folder is unusable', async () => {
    const file = path.join(os.tmpdir(), `lr-not-a-dir-${Date.now()}`);
    fs.writeFileSync(file, 'x');
    const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    await expect(openDatabase({ databaseUrl: undefined, dataDir: file, log })).rejects.toThrow(DatabaseSetupError);
    await expect(openDatabase({ databaseUrl: undefined, dataDir: file, log })).rejects.toThrow(file);
  });

  it('reports 503 while PostgreSQL is unreachable and "degraded" when Redis is, and keeps serving', { timeout: 60_000 }, async () => {
    const s = serve({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nothing', REDIS_URL: 'redis://127.0.0.1:9' });
    const url = await s.listening;
    const h = await until(() => health(url), 30_000, 'health to answer');
    expect(h.status).toBe(503);
    expect(h.body.database.ready).toBe(false);
    expect(h.body.redis.up).toBe(false);
    expect(s.output()).toMatch(/retrying/);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
  });

  it('on SIGTERM tells clients to reconnect, finishes acknowledged writes, and exits 0 within 10 s', { timeout: 90_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-life-'));
    const s = serve({ DATA_DIR: dataDir, COMMENT_RATE_LIMIT: '1000' });
    const url = await s.listening;
    await until(async () => (await health(url))?.status === 200, 30_000, 'healthy');
    const signer = createSessionSigner(SECRET, { secureCookies: false });
    const token = await signer.sign({ id: 'life-user-1', name: 'Life', role: 'guest' });
    const socket: TestSocket = ioc(url, { transports: ['websocket'], auth: { token }, reconnection: false });
    await new Promise((r) => socket.once('init', r));
    await new Promise((r) => socket.emit('join', { roomId: 'main-stage' }, r));
    let shutdownNotice = false;
    socket.on('server:shutdown', () => (shutdownNotice = true));
    const acked: string[] = [];
    const sends = Array.from({ length: 100 }, (_, i) =>
      new Promise<void>((resolve) =>
        socket.emit('say', { roomId: 'main-stage', content: `bye ${i}`, clientMsgId: `shutdown-${i}-xx` }, (ack) => {
          if (ack.ok) acked.push(ack.data.clientMsgId);
          resolve();
        }),
      ),
    );
    // Signal while writes are in flight: after the first ack, before the last.
    await until(async () => acked.length > 0, 10_000, 'a first ack');
    const started = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await Promise.race([Promise.all(sends), new Promise((r) => setTimeout(r, 1_000))]);
    expect(shutdownNotice).toBe(true);
    socket.close();
    // Every acknowledged comment is in the database the process left behind.
    const db = await openDatabase({ databaseUrl: undefined, dataDir, log: createLogger(loadConfig({ LOG_LEVEL: 'silent' })) });
    await db.ready;
    const stored = await db.prisma.message.findMany({ where: { clientMsgId: { in: acked } }, select: { clientMsgId: true } });
    expect(acked.length).toBeGreaterThan(0);
    expect(stored).toHaveLength(acked.length);
    await db.close();
  });
});
