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
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` and resolves once it prints `READY <port>`. */
export async function startServerProcess(opts: {
  name: string;
  script: string;
  env: Record<string, string>;
  port: number;
  cpuProfDir?: string;
}): Promise<ServerProcess> {
  const execArgv = ['--import', 'tsx', '--expose-gc'];
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  const child = spawn(process.execPath, [...execArgv, opts.script], {
    cwd: rootDir,
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${opts.name} did not start in 60 s:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with ${code}:\n${stderr}`));
    });
  });
  child.stdout!.resume();
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
    port: opts.port,
    url: `ws://127.0.0.1:${opts.port}`,
    child,
    cpu: () => cpuMicros(pid),
    rss: () => rssBytes(pid),
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
