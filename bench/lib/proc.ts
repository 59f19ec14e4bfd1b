import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const rootDir = path.dirname(benchDir);

const CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat counts in these ticks.

/** utime + stime of a process in microseconds (10 ms resolution). */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/**
 * CPU (µs) of the PostgreSQL backends serving database `dbName`, by pid: a backend's process title names
 * its database, so other databases on the same server (other people's tests) are not counted. Pass two
 * snapshots to cpuDelta.
 */
export function postgresCpu(dbName: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${dbName} `)) continue;
      out.set(Number(entry), cpuMicros(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU spent between two postgresCpu snapshots (a backend that started in between counts from zero). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, t] of after) total += t - (before.get(pid) ?? 0);
  return total;
}

/** This process's soft limit on open descriptors (children inherit it): `ulimit -n`. */
export function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

export function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: os.cpus().length,
    model: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown',
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
  };
}

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  cpu(): number;
  rss(): number;
  /** Sends a bench-only command (see server-hooks.ts) and resolves with its JSON reply. */
  command<T = unknown>(line: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` and resolves once it prints `READY <port>` (port 0: the one it got). */
export async function startServerProcess(opts: {
  name: string;
  script: string;
  env: Record<string, string>;
  port: number;
  cpuProfDir?: string;
}): Promise<ServerProcess> {
  const execArgv = ['--import', 'tsx', '--expose-gc'];
  // BENCH_SERVER_NODE_FLAGS: extra Node/V8 flags for every server (investigations: --trace-gc, --trace-opt).
  if (process.env.BENCH_SERVER_NODE_FLAGS) execArgv.push(...process.env.BENCH_SERVER_NODE_FLAGS.split(/\s+/).filter(Boolean));
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  const child = spawn(process.execPath, [...execArgv, opts.script], {
    cwd: rootDir,
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    // stdin carries bench-only commands (server-hooks.ts): heap snapshots, memory after a full GC.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.on('error', () => {}); // a server that died mid-command must not crash the bench
  // Never leave a server behind when the bench itself dies.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${opts.name}] ${d.toString()}`);
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  let port = opts.port;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${opts.name} did not start in 60 s:\n${stderr}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const ready = /READY (\d+)/.exec(out);
      if (ready) {
        port = Number(ready[1]);
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        // BENCH_SERVER_STDOUT_DIR: what a server prints after READY (e.g. V8's --trace-gc), one file per server.
        const outDir = process.env.BENCH_SERVER_STDOUT_DIR;
        if (outDir) child.stdout!.on('data', (d: Buffer) => fs.appendFileSync(path.join(outDir, `${opts.name}.out`), d));
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with ${code}:\n${stderr}`));
    });
  });
  child.stdout!.resume();
  // Replies to command(): one `BENCH-REPLY <id> <json>` line each, among the product's log lines.
  const pending = new Map<string, (json: string) => void>();
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    if (partial.length > 1e6) partial = '';
    for (const line of lines) {
      const m = /^BENCH-REPLY (\S+) (.*)$/.exec(line);
      const done = m && pending.get(m[1]!);
      if (done) {
        pending.delete(m[1]!);
        done(m[2]!);
      }
    }
  });
  child.once('exit', (code, signal) => {
    for (const done of pending.values()) done(JSON.stringify({ ok: false, error: `exited (code ${code}, signal ${signal})` }));
    pending.clear();
  });
  let nextCommand = 1;
  // pino logs to stdout: surface errors (level ≥ 50) when asked to.
  if (process.env.BENCH_VERBOSE) {
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (/"level":[56]0/.test(line)) process.stderr.write(`[${opts.name}] ${line.slice(0, 600)}\n`);
    });
  }
  const pid = child.pid!;
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`[bench] ${opts.name} died unexpectedly (code ${code}, signal ${signal}):\n${stderr.slice(-3_000)}\n`);
  });
  return {
    name: opts.name,
    pid,
    port,
    url: `ws://127.0.0.1:${port}`,
    child,
    cpu: () => cpuMicros(pid),
    rss: () => rssBytes(pid),
    command: <T>(line: string, timeoutMs = 600_000) =>
      new Promise<T>((resolve, reject) => {
        const id = String(nextCommand++);
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${opts.name}: no reply to "${line}" within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (json) => {
          clearTimeout(timer);
          const r = JSON.parse(json) as T & { ok: boolean; error?: string };
          if (r.ok) resolve(r);
          else reject(new Error(`${opts.name}: ${line}: ${r.error}`));
        });
        const [cmd, ...rest] = line.split(' ');
        child.stdin!.write(`${[cmd, id, ...rest].join(' ')}\n`);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
