import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onProcessExit } from './cleanup.ts';
import { freePort, waitForPort } from './free-port.ts';

/** A private redis-server the suite may stop and start again on the same port. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Starts it (again) on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, nothing saved); resolves once the process is gone. */
  stop(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

export async function startPrivateRedis(redisServer: string): Promise<PrivateRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-faults-redis-'));
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let log = '';
  const unregister = onProcessExit(() => {
    proc?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
      const child = spawn(redisServer, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = child;
      child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
      if (!(await waitForPort(port, 10_000))) throw new Error(`redis-server did not start on ${port}:\n${log}`);
    },
    async stop() {
      if (!proc) return;
      const child = proc;
      proc = undefined;
      child.kill('SIGTERM');
      await exited(child);
    },
    async destroy() {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
  await redis.start();
  return redis;
}
