import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { onProcessExit } from './cleanup.ts';
import { freePort } from './free-port.ts';

/** A private PostgreSQL cluster (initdb into a temporary folder) the suite may stop and start again. */
export interface PrivatePostgres {
  /** The `postgres` database of the cluster, trust auth. */
  url: string;
  port: number;
  /** Starts the server (again) on the same port; resolves once it accepts queries. */
  start(): Promise<void>;
  /** A fast shutdown (what `pg_ctl stop -m fast` sends: SIGINT); resolves once the server is gone. */
  stop(): Promise<void>;
  /** Stops it for good and removes the cluster. */
  destroy(): Promise<void>;
}

/**
 * PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` system user
 * (Debian's package creates it), and initdb and the server run under its ids.
 */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

async function acceptsQueries(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
  return false;
}

export async function startPrivatePostgres(binDir: string): Promise<PrivatePostgres> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-faults-pg-'));
  const dataDir = path.join(root, 'data');
  const ids = serverIdentity();
  if (ids) fs.chownSync(root, ids.uid, ids.gid);
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let log = '';
  const unregister = onProcessExit(() => {
    proc?.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  // No fsync: the suite tests the product's behaviour, not the disk's; the cluster is thrown away.
  const init = spawnSync(path.join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    encoding: 'utf8',
    ...ids,
  });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stdout}\n${init.stderr}`);

  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const server: PrivatePostgres = {
    url,
    port,
    async start() {
      const args = ['-D', dataDir, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
      const child = spawn(path.join(binDir, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
      proc = child;
      child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
      if (!(await acceptsQueries(url, 20_000))) throw new Error(`postgres did not start on ${port}:\n${log.slice(-4_000)}`);
    },
    async stop() {
      if (!proc) return;
      const child = proc;
      proc = undefined;
      child.kill('SIGINT');
      await exited(child);
    },
    async destroy() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
      unregister();
    },
  };
  await server.start();
  return server;
}
