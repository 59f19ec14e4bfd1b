import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ChildInstance {
  url: string;
  proc: ChildProcess;
  /** Everything the child printed (for failure messages). */
  output(): string;
  /** SIGTERM and wait for the exit (no-op when already gone). */
  stop(): Promise<void>;
}

const children = new Set<ChildInstance>();

/** Starts test/support/instance.ts in a child process and resolves with its URL. */
export function spawnInstance(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-inst-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/instance.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-123',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`instance did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      const child: ChildInstance = {
        url: m[1],
        proc,
        output: () => out,
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          await exited;
          children.delete(child);
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
      children.add(child);
      resolve(child);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

export async function stopAllInstances(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}
