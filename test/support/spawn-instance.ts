import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PublicUser } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { connectClient, type ServerUnderTest } from './client.ts';

/** The product in a child process (test/support/instance.ts): reached over HTTP and sockets only. */
export interface ChildInstance extends ServerUnderTest {
  proc: ChildProcess;
  /** Everything the child printed (for failure messages). */
  output(): string;
  /** SIGTERM and wait for the exit (no-op when already gone). */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** How long it may take to listen. @default 60000 */
  timeoutMs?: number;
  /** Called with everything the child prints, as it prints it (the e2e server's log goes to the console). */
  onOutput?: (chunk: string) => void;
}

/** The repository root: where the child runs. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

const children = new Set<ChildInstance>();

/** A guest created like the browser does it (POST /api/session), with the session cookie's token. */
async function httpGuest(url: string, name: string): Promise<{ user: PublicUser; token: string }> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const token = /lr_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  const ack = (await res.json()) as Ack<PublicUser>;
  if (!token || !ack.ok) throw new Error(`no guest session (${res.status})`);
  return { user: ack.data, token };
}

/**
 * Starts test/support/instance.ts in a child process and resolves with its URL once it listens. `env` is
 * its whole environment over these defaults; the port is the one the system gives (PORT=0, so parallel
 * runs never collide) and the data folder a fresh temporary one, removed by stop().
 */
export function spawnInstance(env: Record<string, string | undefined>, opts: SpawnOptions = {}): Promise<ChildInstance> {
  const { timeoutMs = 60_000, onOutput } = opts;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-inst-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/instance.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-123',
      GW_REGISTER_PORT: '0',
      ...env,
      PORT: '0',
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const print = (chunk: Buffer) => {
    out += chunk.toString();
    onOutput?.(chunk.toString());
  };
  proc.stdout?.on('data', print);
  proc.stderr?.on('data', print);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let listening = false;
  const removeData = () => fs.rmSync(dataDir, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`instance did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onListening = () => {
      const url = /LISTENING (\S+)/.exec(out)?.[1];
      if (!url) return;
      listening = true;
      clearTimeout(timer);
      proc.stdout?.off('data', onListening);
      const child: ChildInstance = {
        url,
        proc,
        output: () => out,
        guest: (name) => httpGuest(url, name),
        client: (token) => connectClient(url, token),
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          await exited;
          children.delete(child);
          removeData();
        },
      };
      children.add(child);
      resolve(child);
    };
    proc.stdout?.on('data', onListening);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!listening) removeData();
      reject(new Error(`instance exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

export async function stopAllInstances(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}
