import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { startServer, type StartedServer } from '../../server/index.ts';
import { createLogger } from '../../server/logger.ts';
import type { ClientToServerEvents, RoomEvent, RoomFrame, ServerToClientEvents } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { closeAllClients, connectClient, type ServerUnderTest, type TestSocket } from './client.ts';
import { createTempDatabase, TEST_REDIS_URL } from './services.ts';

/** The product in this process: guests are created through its services directly. */
export interface TestServer extends StartedServer, ServerUnderTest {
  dataDir: string;
}

export interface TestServerOptions {
  database?: 'pglite' | { url: string };
  redis?: boolean;
  env?: Record<string, string>;
  withNext?: boolean;
  dataDir?: string;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lr-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-123',
    // Free ports only: GatewayWorker's register would otherwise take 1238.
    GW_REGISTER_PORT: '0',
    ...(opts.database && opts.database !== 'pglite' ? { DATABASE_URL: opts.database.url } : {}),
    ...(opts.redis ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...opts.env,
  };
  const config = loadConfig(env);
  const server = await startServer(config, createLogger(config), { withNext: opts.withNext ?? false });
  await server.runtime.ready;
    return {
    ...server,
    dataDir,
    async guest(name) {
      const user = await server.runtime.identity.users.createGuest(name);
      return { user, token: await server.runtime.identity.signer.sign(user) };
    },
    client: (token) => connectClient(server.url, token),
  };
}

/** Emits and resolves with the ack. */
export function call<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: unknown,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve, reject) => {
    (socket.timeout(10_000) as unknown as { emit: (e: string, p: unknown, cb: (err: Error | null, a: Ack<unknown>) => void) => void }).emit(
      event,
      payload,
      (err, ack) => (err ? reject(err) : resolve(ack as never)),
    );
  });
}

/** Collects every frame of one event. */
export function collect<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const frames: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on: (e: string, l: (f: never) => void) => void }).on(event, (f: never) => frames.push(f));
  return frames;
}

/** Collects every room frame as it arrived (to check coalescing and batch boundaries). */
export function collectFrames(socket: TestSocket): RoomFrame[] {
  const frames: RoomFrame[] = [];
  socket.on('room', (f) => frames.push(f));
  return frames;
}

/** Collects one kind of room event (say, join, presence, deleted) out of the room frames, in order. */
export function collectRoom<T extends RoomEvent['type']>(socket: TestSocket, type: T): Extract<RoomEvent, { type: T }>[] {
  const events: Extract<RoomEvent, { type: T }>[] = [];
  socket.on('room', (f) => {
    for (const e of f.events) if (e.type === type) events.push(e as Extract<RoomEvent, { type: T }>);
  });
  return events;
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { closeAllClients, createTempDatabase, type TestSocket };
