import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSessionSigner } from '../../server/identity/session.ts';
import { ensureRooms } from '../lib/db.ts';
import { benchDir, sleep, startServerProcess, type ServerProcess } from '../lib/proc.ts';

export const SESSION_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const signer = createSessionSigner(SESSION_SECRET, { secureCookies: false });

/** A system under test: one or more server processes and how bench clients authenticate to it. */
export interface Target {
  label: string;
  kind: 'baseline' | 'product';
  servers: ServerProcess[];
  /** The PostgreSQL database the product stores into (its backends' CPU is measured too). */
  dbName?: string;
  /** Server CPU (µs) summed over the target's processes. */
  cpu(): number;
  rss(): number;
  /** Asks each server to collect garbage (bench launchers run with --expose-gc), so RSS is comparable. */
  gc(): Promise<void>;
  prepareRooms(ids: string[]): Promise<void>;
  /** The session token client `idx` sends in the socket.io auth payload (none for the baseline). */
  token(idx: number): Promise<string | undefined>;
  /** A product session token for client `idx`, whatever the target (the heap scenario sends it as a cookie to both). */
  session(idx: number): Promise<string>;
  /** process.memoryUsage() and V8's heap spaces of each server after a compacting full GC (bench hook, see lib/server-hooks.ts). */
  memory(): Promise<ServerMemory[]>;
  /** Writes a V8 heap snapshot of each server to `${fileBase}-<n>.heapsnapshot`; returns the files. */
  heapSnapshot(fileBase: string): Promise<{ file: string; ms: number; memory: NodeJS.MemoryUsage }[]>;
  stop(): Promise<void>;
}

/** Bytes; `spaces`: each V8 heap space's committed (`size`) and used bytes, by space name. */
export type ServerMemory = NodeJS.MemoryUsage & { spaces: Record<string, { size: number; used: number }> };

export interface TargetOptions {
  basePort: number;
  profileDir?: string;
}

function wrap(label: string, kind: Target['kind'], servers: ServerProcess[], dbUrl?: string): Target {
  const tokens = new Map<number, string>();
  const session = async (idx: number) => {
    let t = tokens.get(idx);
    if (!t) tokens.set(idx, (t = await signer.sign({ id: `bench-u-${idx}`, name: `bench ${idx}`, role: 'guest' })));
    return t;
  };
  return {
    label,
    kind,
    servers,
    dbName: dbUrl ? new URL(dbUrl).pathname.slice(1) : undefined,
    cpu: () => servers.reduce((s, p) => s + p.cpu(), 0),
    rss: () => servers.reduce((s, p) => s + p.rss(), 0),
    gc: async () => {
      for (const s of servers) s.child.kill('SIGUSR2');
      await sleep(500);
    },
    prepareRooms: async (ids) => {
      if (dbUrl) await ensureRooms(dbUrl, ids);
    },
    token: async (idx) => (kind === 'baseline' ? undefined : session(idx)),
    session,
    memory: () =>
      Promise.all(
        servers.map(async (s) => {
          const r = await s.command<{ memory: NodeJS.MemoryUsage; spaces: ServerMemory['spaces'] }>('mem');
          return { ...r.memory, spaces: r.spaces };
        }),
      ),
    heapSnapshot: (fileBase) =>
      Promise.all(servers.map((s, i) => s.command<{ file: string; ms: number; memory: NodeJS.MemoryUsage }>(`heap ${fileBase}-${i + 1}.heapsnapshot`))),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

export async function startBaseline(o: TargetOptions): Promise<Target> {
  const server = await startServerProcess({
    name: 'baseline',
    script: path.join(benchDir, 'baseline', 'server.ts'),
    env: {},
    port: o.basePort,
    cpuProfDir: o.profileDir,
  });
  return wrap('baseline', 'baseline', [server]);
}

export async function startProduct(
  o: TargetOptions & { dbUrl: string; instances: number; redisUrl?: string; env?: Record<string, string> },
): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-bench-'));
  const servers: ServerProcess[] = [];
  for (let i = 0; i < o.instances; i++) {
    servers.push(
      await startServerProcess({
        name: `product-${i + 1}`,
        script: path.join(benchDir, 'product', 'server.ts'),
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          // The production default: what a deployment pays for its logs is part of the figure.
          LOG_LEVEL: 'info',
          DATA_DIR: dataDir,
          DATABASE_URL: o.dbUrl,
          SESSION_SECRET,
          INSTANCE_ID: `bench-${i + 1}`,
          // Load runs post far above a person's pace; the limiter still runs on every comment.
          COMMENT_RATE_LIMIT: '10000',
          COMMENT_RATE_WINDOW_SECONDS: '1',
          // The history scenario asks for pages as fast as it can from a few connections.
          HISTORY_RATE_LIMIT: '100000',
          REPLAY_CAP: '1000',
          // GatewayWorker's register would take 1238 (the second instance would log that it is taken):
          // the bench uses only ports the system hands out.
          GW_REGISTER_PORT: '0',
          ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
          ...o.env,
        },
        // 0: each instance takes a free port; otherwise consecutive ports from basePort.
        port: o.basePort === 0 ? 0 : o.basePort + i,
        cpuProfDir: o.profileDir,
      }),
    );
  }
  const t = wrap(o.instances > 1 ? `product ×${o.instances} (redis)` : 'product', 'product', servers, o.dbUrl);
  const stop = t.stop;
  t.stop = async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return t;
}
