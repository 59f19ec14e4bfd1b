import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Histogram, type SerializedHistogram } from '../lib/histogram.ts';
import type { SendResult, WorkerCommand, WorkerReply, WorkerStats } from './messages.ts';

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');

type Cmd = WorkerCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

class Worker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly child: ChildProcess;

  constructor() {
    this.child = fork(workerScript, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: WorkerReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.data);
      else w.reject(new Error(`load worker: ${m.error}`));
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load worker exited with ${code}`));
      this.waiting.clear();
    });
  }

  call<T>(cmd: Cmd): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...cmd, id });
    });
  }
}

export interface Member {
  idx: number;
  room: string;
  /** Session token sent in the socket.io auth payload. */
  token?: string;
  /** Cookie header sent with the upgrade request (how the web client sends its session). */
  cookie?: string;
  url: string;
}

/**
 * The orchestrator's view of the load-generator processes: client `idx` lives in worker idx % n.
 * Several processes so the receiving side has more than one core's worth when it needs it.
 */
export class ClientPool {
  private readonly workers: Worker[];

  constructor(workers: number) {
    this.workers = Array.from({ length: workers }, () => new Worker());
  }

  private of(idx: number): number {
    return idx % this.workers.length;
  }

  private split<T extends { idx: number }>(items: T[]): T[][] {
    const out = this.workers.map(() => [] as T[]);
    for (const it of items) out[this.of(it.idx)]!.push(it);
    return out;
  }

  private all<T>(make: (w: number) => Cmd | null): Promise<T[]> {
    return Promise.all(this.workers.map((w, i) => {
      const cmd = make(i);
      return cmd ? w.call<T>(cmd) : Promise.resolve(null as T);
    }));
  }

  /** Connects clients (each worker against its members' url), returns wall time in ms. */
  async connect(members: Member[], concurrency: number, headers?: Record<string, string>): Promise<number> {
    const started = performance.now();
    const parts = this.split(members);
    await Promise.all(
      this.workers.map(async (w, i) => {
        const mine = parts[i]!;
        const byUrl = new Map<string, Member[]>();
        for (const m of mine) byUrl.set(m.url, [...(byUrl.get(m.url) ?? []), m]);
        for (const [url, ms] of byUrl) {
          await w.call({
            type: 'connect',
            url,
            clients: ms.map((m) => ({ idx: m.idx, token: m.token, cookie: m.cookie })),
            concurrency: Math.ceil(concurrency / this.workers.length),
            headers,
          });
        }
      }),
    );
    return performance.now() - started;
  }

  async join(members: { idx: number; room: string; lastSeq?: number | null }[], concurrency: number, extra?: Record<string, unknown>) {
    const parts = this.split(members);
    const started = performance.now();
    const results = await this.all<{ failed: number; firstError: string; latency: SerializedHistogram }>((i) =>
      parts[i]!.length ? { type: 'join', joins: parts[i]!, concurrency: Math.ceil(concurrency / this.workers.length), extra } : null,
    );
    const ms = performance.now() - started;
    const h = new Histogram();
    let failed = 0;
    let firstError = '';
    for (const r of results) {
      if (!r) continue;
      h.merge(r.latency);
      failed += r.failed;
      firstError ||= r.firstError;
    }
    return { ms, failed, firstError, latency: h };
  }

  arm(sendersPerRoom: Record<string, number>, maxPerSender: number, forceRoom?: string): Promise<unknown> {
    return this.all(() => ({ type: 'arm', sendersPerRoom, maxPerSender, forceRoom }));
  }

  async send(
    senders: { idx: number; room: string; senderIdx: number }[],
    mode: Extract<Cmd, { type: 'send' }>['mode'],
    durationMs: number,
    runTag: string,
  ) {
    const parts = this.split(senders);
    const results = await this.all<SendResult>((i) => (parts[i]!.length ? { type: 'send', senders: parts[i]!, mode, durationMs, runTag } : null));
    const ackedByRoom: Record<string, number> = {};
    const failedByCode: Record<string, number> = {};
    const ackLatency = new Histogram();
    let sent = 0;
    for (const r of results) {
      if (!r) continue;
      sent += r.sent;
      ackLatency.merge(r.ackLatency);
      for (const [k, v] of Object.entries(r.ackedByRoom)) ackedByRoom[k] = (ackedByRoom[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.failedByCode)) failedByCode[k] = (failedByCode[k] ?? 0) + v;
    }
    return { sent, ackedByRoom, failedByCode, ackLatency };
  }

  async stats() {
    const all = await this.all<WorkerStats>(() => ({ type: 'stats' }));
    const latency = new Histogram();
    const sum = { unique: 0, duplicates: 0, stray: 0, frames: 0, cpuMicros: 0 };
    for (const s of all) {
      latency.merge(s.latency);
      sum.unique += s.unique;
      sum.duplicates += s.duplicates;
      sum.stray += s.stray;
      sum.frames += s.frames;
      sum.cpuMicros += s.cpuMicros;
    }
    return { ...sum, latency, perWorkerCpu: all.map((s) => s.cpuMicros) };
  }

  /** Sequential timed request/ack round trips from client `idx`; `marker` occurrences in each reply are counted. */
  requests(idx: number, frames: string[], marker?: string) {
    return this.workers[this.of(idx)]!.call<{ ms: number; ok: boolean; bytes: number; markers: number; error?: string }[]>({ type: 'requests', idx, frames, marker });
  }

  closeClients(): Promise<unknown> {
    return this.all(() => ({ type: 'close' }));
  }

  get size(): number {
    return this.workers.length;
  }

  async stop(): Promise<void> {
    for (const w of this.workers) w.child.kill();
  }
}
