/**
 * A load-generator process: owns a slice of the bench clients, speaks the Socket.IO wire protocol over
 * `ws` directly and answers the orchestrator's commands over IPC (see messages.ts). The receive path
 * never converts or JSON-parses a broadcast: it finds the bench marker in the bytes and reads integers.
 */
import WebSocket from 'ws';
import { Histogram } from '../lib/histogram.ts';
import type { SendResult, WorkerCommand, WorkerReply, WorkerStats } from './messages.ts';
import {
  ACK_OK, C_2, C_3, C_4, C_DOT, CONTENT_MARK, INIT_PREFIX, ROOM_PREFIX, SAY_PREFIX, WS_PATH,
  connectFrame, eventFrame, nowMicros, readInt, startsWith,
} from './protocol.ts';

type AckHandler = (ok: boolean, frame: Buffer) => void;

interface Client {
  idx: number;
  ws: WebSocket;
  room: string | null;
  nextAck: number;
  acks: Map<number, AckHandler>;
  /** One byte per (room-local sender, n): set when that comment arrived. */
  seen: Uint8Array | null;
  onInit: (() => void) | null;
}

const clients = new Map<number, Client>();
const latency = new Histogram();
let unique = 0;
let duplicates = 0;
let stray = 0;
let frames = 0;
let maxPerSender = 0;

function onFrame(c: Client, buf: Buffer): void {
  frames++;
  const t0 = buf[0];
  if (t0 === C_4 && buf[1] === C_2) {
    if (startsWith(buf, SAY_PREFIX)) {
      onSay(c, buf, SAY_PREFIX.length, true);
      return;
    }
    if (startsWith(buf, ROOM_PREFIX)) return onRoomFrame(c, buf);
    if (c.onInit && startsWith(buf, INIT_PREFIX)) {
      const cb = c.onInit;
      c.onInit = null;
      cb();
    }
    return;
  }
  if (t0 === C_4 && buf[1] === C_3) {
    const [id, end] = readInt(buf, 2);
    const h = c.acks.get(id);
    if (h) {
      c.acks.delete(id);
      h(buf.indexOf(ACK_OK, end) === end, buf);
    }
    return;
  }
  if (t0 === C_2 && buf.length === 1) c.ws.send('3');
}

/** A room frame carries any number of comments (and join/presence events, which carry no mark). */
function onRoomFrame(c: Client, buf: Buffer): void {
  let from = ROOM_PREFIX.length;
  while ((from = onSay(c, buf, from, false)) > 0);
}

/** Reads the comment mark at or after `from`; returns where to look for the next one (0: none). */
function onSay(c: Client, buf: Buffer, from: number, required: boolean): number {
  const at = buf.indexOf(CONTENT_MARK, from);
  const seen = c.seen;
  if (at < 0 || !seen) {
    if (required || (at >= 0 && !seen)) stray++;
    return 0;
  }
  const [sender, p1] = readInt(buf, at + CONTENT_MARK.length);
  if (buf[p1] !== C_DOT) return strayAt(p1);
  const [n, p2] = readInt(buf, p1 + 1);
  if (buf[p2] !== C_DOT) return strayAt(p2);
  const [sentAt, end] = readInt(buf, p2 + 1);
  const slot = sender * maxPerSender + n;
  if (n >= maxPerSender || slot >= seen.length) return strayAt(end);
  if (seen[slot] === 1) {
    duplicates++;
    return end;
  }
  seen[slot] = 1;
  unique++;
  latency.record(nowMicros() - sentAt);
  return end;
}

function strayAt(at: number): number {
  stray++;
  return at;
}

function open(url: string, idx: number, token?: string, headers?: Record<string, string>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url + WS_PATH, { perMessageDeflate: false, skipUTF8Validation: true, headers });
    const c: Client = { idx, ws, room: null, nextAck: 1, acks: new Map(), seen: null, onInit: null };
    const timer = setTimeout(() => reject(new Error(`client ${idx}: no init within 30 s`)), 30_000);
    c.onInit = () => {
      clearTimeout(timer);
      resolve(c);
    };
    let opened = false;
    ws.on('message', (data: Buffer) => {
      if (!opened) {
        // The engine.io open packet ("0{sid,…}"); answer with the socket.io connect packet.
        opened = true;
        ws.send(connectFrame(token));
        return;
      }
      if (data[0] === C_4 && data[1] === C_4) {
        clearTimeout(timer);
        reject(new Error(`client ${idx}: connect refused ${data.toString()}`));
        return;
      }
      onFrame(c, data);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function request(c: Client, event: string, payload: unknown, timeoutMs = 30_000): Promise<{ ok: boolean; frame: Buffer }> {
  return new Promise((resolve, reject) => {
    const id = c.nextAck++;
    const timer = setTimeout(() => {
      c.acks.delete(id);
      reject(new Error(`client ${c.idx}: no ack for ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    c.acks.set(id, (ok, frame) => {
      clearTimeout(timer);
      resolve({ ok, frame });
    });
    c.ws.send(eventFrame(id, event, payload));
  });
}

async function bounded<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

function errorCode(frame: Buffer): string {
  const m = /"code":"([a-z_]+)"/.exec(frame.toString('utf8', 0, Math.min(frame.length, 400)));
  return m?.[1] ?? 'unknown';
}

async function send(cmd: Extract<WorkerCommand, { type: 'send' }>): Promise<SendResult> {
  const result: SendResult = { ackedByRoom: {}, failedByCode: {}, sent: 0, ackLatency: { buckets: [], count: 0, max: 0 } };
  const ackLatency = new Histogram();
  let outstanding = 0;
  const senders = cmd.senders.map((s) => ({ ...s, client: clients.get(s.idx)!, n: 0 }));
  for (const s of senders) result.ackedByRoom[s.room] ??= 0;
  const started = nowMicros();
  const deadline = started + cmd.durationMs * 1000;

  const emit = (s: (typeof senders)[number], onAck?: () => void) => {
    const n = s.n++;
    const t = nowMicros();
    const content = `m${s.senderIdx}.${n}.${Math.round(t)}`;
    outstanding++;
    result.sent++;
    const id = s.client.nextAck++;
    s.client.acks.set(id, (ok, frame) => {
      outstanding--;
      ackLatency.record(nowMicros() - t);
      if (ok) result.ackedByRoom[s.room]!++;
      else {
        const code = errorCode(frame);
        result.failedByCode[code] = (result.failedByCode[code] ?? 0) + 1;
      }
      onAck?.();
    });
    s.client.ws.send(eventFrame(id, 'say', { roomId: s.room, content, clientMsgId: `${cmd.runTag}-${s.idx}-${n}` }));
  };

  if (cmd.mode.kind === 'rate') {
    const perSecond = cmd.mode.perSecond;
    const total = Math.floor((perSecond * cmd.durationMs) / 1000);
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor((perSecond * (nowMicros() - started)) / 1e6) + 1);
        for (const s of senders) while (s.n < due) emit(s);
        if (due >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 2);
    });
  } else {
    const inFlight = cmd.mode.inFlight;
    await new Promise<void>((resolve) => {
      const pump = (s: (typeof senders)[number]) => {
        if (nowMicros() < deadline) emit(s, () => pump(s));
      };
      for (const s of senders) for (let i = 0; i < inFlight; i++) pump(s);
      const wait = setInterval(() => {
        if (nowMicros() >= deadline) {
          clearInterval(wait);
          resolve();
        }
      }, 10);
    });
  }
  // Every send gets an ack (or the run is broken): wait for them, bounded.
  const waitUntil = Date.now() + 30_000;
  while (outstanding > 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 5));
  if (outstanding > 0) result.failedByCode.no_ack = outstanding;
  result.ackLatency = ackLatency.toJSON();
  return result;
}

async function handle(cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.type) {
    case 'connect': {
      const started = nowMicros();
      await bounded(cmd.clients, cmd.concurrency, async ({ idx, token, cookie }) => {
        const headers = cookie ? { ...cmd.headers, Cookie: cookie } : cmd.headers;
        clients.set(idx, await open(cmd.url, idx, token, headers));
        if (process.env.BENCH_VERBOSE && clients.size % 20 === 0) process.stderr.write(`[worker ${process.pid}] connected ${clients.size}\n`);
      });
      return { ms: (nowMicros() - started) / 1000 };
    }
    case 'join': {
      const h = new Histogram();
      let failed = 0;
      let firstError = '';
      await bounded(cmd.joins, cmd.concurrency, async ({ idx, room, lastSeq }) => {
        const c = clients.get(idx)!;
        const t = nowMicros();
        const { ok, frame } = await request(c, 'join', { roomId: room, lastSeq: lastSeq ?? null, ...cmd.extra });
        h.record(nowMicros() - t);
        if (ok) c.room = room;
        else {
          failed++;
          firstError ||= frame.toString('utf8', 0, 300);
        }
      });
      return { failed, firstError, latency: h.toJSON() };
    }
    case 'arm': {
      maxPerSender = cmd.maxPerSender;
      unique = duplicates = stray = frames = 0;
      latency.reset();
      for (const c of clients.values()) {
        if (cmd.forceRoom) c.room = cmd.forceRoom;
        const senders = c.room ? (cmd.sendersPerRoom[c.room] ?? 0) : 0;
        c.seen = senders > 0 ? new Uint8Array(senders * maxPerSender) : null;
      }
      return null;
    }
    case 'send':
      return send(cmd);
    case 'stats': {
      const u = process.cpuUsage();
      const stats: WorkerStats = { unique, duplicates, stray, frames, latency: latency.toJSON(), cpuMicros: u.user + u.system };
      return stats;
    }
    case 'requests': {
      const c = clients.get(cmd.idx)!;
      const marker = cmd.marker ? Buffer.from(cmd.marker) : null;
      const out: { ms: number; ok: boolean; bytes: number; markers: number; error?: string }[] = [];
      for (const frame of cmd.frames) {
        const [event, payload] = JSON.parse(frame) as [string, unknown];
        const t = nowMicros();
        const r = await request(c, event, payload);
        const ms = (nowMicros() - t) / 1000;
        let markers = 0;
        if (marker) for (let at = r.frame.indexOf(marker); at >= 0; at = r.frame.indexOf(marker, at + 1)) markers++;
        out.push({ ms, ok: r.ok, bytes: r.frame.length, markers, ...(r.ok ? {} : { error: r.frame.toString('utf8', 0, 300) }) });
      }
      return out;
    }
    case 'close': {
      for (const c of clients.values()) c.ws.terminate();
      clients.clear();
      return null;
    }
  }
}

process.on('message', (cmd: WorkerCommand) => {
  if (process.env.BENCH_VERBOSE) process.stderr.write(`[worker ${process.pid}] ${cmd.type} ${JSON.stringify(cmd).length}\n`);
  handle(cmd).then(
    (data) => process.send!({ id: cmd.id, ok: true, data } satisfies WorkerReply),
    (err: Error) => process.send!({ id: cmd.id, ok: false, error: err.stack ?? err.message } satisfies WorkerReply),
  );
});
process.on('disconnect', () => process.exit(0));
