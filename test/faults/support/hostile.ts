import net from 'node:net';
import type WebSocket from 'ws';
import { rawSocket } from '../../support/raw-socket.ts';

/** A Prometheus counter or gauge of an instance (GET /metrics on its main port). */
export async function readMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];
  return value === undefined ? 0 : Number(value);
}

function pauseReading(ws: WebSocket): void {
  (ws as unknown as { _socket: net.Socket })._socket.pause();
}

function resumeReading(ws: WebSocket): void {
  (ws as unknown as { _socket: net.Socket })._socket.resume();
}

/**
 * Readers that stopped reading but keep the server busy: watchers (no token) that joined the room,
 * stopped reading their socket, and go on asking for 200-comment history pages and sending unsolicited
 * pongs (which keep a connection alive however stuck its output is).
 */
export async function startSlowConsumers(url: string, roomId: string, count: number): Promise<{ stop(): void; closedAfterResume(timeoutMs: number): Promise<number> }> {
  const readers = await Promise.all(Array.from({ length: count }, () => rawSocket(url)));
  let closed = 0;
  for (const r of readers) {
    r.ws.on('close', () => closed++);
    r.ws.on('error', () => {});
    r.ws.send(`420["join",${JSON.stringify({ roomId })}]`);
    pauseReading(r.ws);
  }
  let ackId = 1;
  const timer = setInterval(() => {
    for (const r of readers) {
      if (r.ws.readyState !== r.ws.OPEN) continue;
      r.ws.send('3');
      r.ws.send(`42${ackId++}["history",${JSON.stringify({ roomId, afterSeq: 0, limit: 200 })}]`);
    }
  }, 50);
  return {
    stop: () => clearInterval(timer),
    /** Reads what the server left queued, then counts the readers the server closed. */
    async closedAfterResume(timeoutMs) {
      for (const r of readers) resumeReading(r.ws);
      const deadline = Date.now() + timeoutMs;
      while (closed < readers.length && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      for (const r of readers) r.ws.terminate();
      return closed;
    },
  };
}

const depth = 20_000;
/** Frames no well-behaved client sends: each must cost the server a bounded amount and never the process. */
const HOSTILE_FRAMES: (string | Buffer)[] = [
  `421["say",${'['.repeat(depth)}${']'.repeat(depth)}]`,
  `422["join",${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}]`,
  `423["say",{"roomId":"main-stage","content":"${'x'.repeat(7_000)}","clientMsgId":"hostile-big"}]`,
  '4',
  '42',
  '42[',
  '42[]',
  '42{"a":1}',
  '424["say"]',
  '425["say",null]',
  '426["join",{"roomId":"main-stage","lastSeq":-1}]',
  '427["history",{"roomId":"main-stage","afterSeq":1e309}]',
  '428["history",{"roomId":"%ff","beforeSeq":"1"}]',
  '429["__proto__",{"constructor":{"prototype":{"polluted":true}}}]',
  '4210["mod:delete",{"roomId":"main-stage","seqs":[1,2,3]}]',
  '451-["say",{"_placeholder":true,"num":0}]',
  '4299999999999999999999["say",{}]',
  '6garbage',
  '9',
  '2probe',
  Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80]),
];
/** Over the transport's 64 KiB frame limit: the server closes the connection (the flood opens another). */
const OVERSIZED = `42["say",{"content":"${'y'.repeat(100_000)}"}]`;

/** Malformed HTTP at the product's port: every answer must be a 4xx (or a 404 without Next), never a 5xx. */
const HOSTILE_REQUESTS: { path: string; init?: RequestInit }[] = [
  { path: '/rooms/%ff' },
  { path: '/api/v1/groups/%ff' },
  { path: '/api/mod/rooms/%E0%A4%A' },
  { path: '/%' },
  { path: '/metrics?%ff' },
  { path: '/api/session', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' } },
  { path: '/api/session', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(50_000) } },
  { path: '/api/session', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1_000_000) } },
  { path: '/socket.io/?EIO=4&transport=polling&sid=garbage' },
  { path: '/socket.io/?EIO=4&transport=polling', init: { method: 'POST', body: '\u0000\u0001garbage' } },
  { path: '/socket.io/?EIO=99&transport=websocket' },
];
/** Not HTTP at all, or HTTP the parser must refuse (a bad request line, a 100 KB header). */
const HOSTILE_BYTES = ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(100_000) + '\r\n\r\n', 'GET /%ff HTTP/1.1\r\n\r\n', '\u0016\u0003\u0001\u0002\u0000\u0001'];

export interface FloodCounts {
  frames: number;
  /** Connections the server closed (oversized frames) and the flood replaced. */
  reconnects: number;
  requests: number;
  /** Responses with a 5xx status, by request path. */
  serverErrors: string[];
  rawConnections: number;
}

async function frameFlood(url: string, until: number, counts: FloodCounts): Promise<void> {
  while (Date.now() < until) {
    const { ws } = await rawSocket(url);
    ws.on('error', () => {});
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    let i = 0;
    while (Date.now() < until && ws.readyState === ws.OPEN) {
      for (let k = 0; k < 10 && ws.readyState === ws.OPEN; k++) {
        ws.send(HOSTILE_FRAMES[i++ % HOSTILE_FRAMES.length]!);
        counts.frames++;
      }
      // Now and then a frame over the limit, which costs this connection.
      if (i % 200 === 0) ws.send(OVERSIZED);
      await new Promise((r) => setTimeout(r, 50));
    }
    ws.terminate();
    await closed;
    counts.reconnects++;
  }
}

async function requestFlood(url: string, until: number, counts: FloodCounts): Promise<void> {
  let i = 0;
  while (Date.now() < until) {
    const r = HOSTILE_REQUESTS[i++ % HOSTILE_REQUESTS.length]!;
    const res = await fetch(`${url}${r.path}`, r.init).catch(() => undefined);
    counts.requests++;
    if (res && res.status >= 500) counts.serverErrors.push(`${res.status} ${r.init?.method ?? 'GET'} ${r.path.slice(0, 60)}`);
    await res?.arrayBuffer().catch(() => undefined);
  }
}

async function bytesFlood(url: string, until: number, counts: FloodCounts): Promise<void> {
  const { port } = new URL(url);
  let i = 0;
  while (Date.now() < until) {
    const bytes = HOSTILE_BYTES[i++ % HOSTILE_BYTES.length]!;
    await new Promise<void>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => s.end(bytes));
      s.on('data', () => {});
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.setTimeout(2_000, () => s.destroy());
    });
    counts.rawConnections++;
  }
}

/** Hostile frames, HTTP requests and raw bytes at every instance for `durationMs`, from several connections each. */
export async function malformedFlood(urls: string[], durationMs: number, connectionsPerInstance = 6): Promise<FloodCounts> {
  const counts: FloodCounts = { frames: 0, reconnects: 0, requests: 0, serverErrors: [], rawConnections: 0 };
  const until = Date.now() + durationMs;
  const work = urls.flatMap((url) => [
    ...Array.from({ length: connectionsPerInstance }, () => frameFlood(url, until, counts)),
    requestFlood(url, until, counts),
    requestFlood(url, until, counts),
    bytesFlood(url, until, counts),
  ]);
  await Promise.all(work);
  return counts;
}
