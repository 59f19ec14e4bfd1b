import fs from 'node:fs';
import path from 'node:path';
import type { ClientPool } from '../client/pool.ts';
import { groupDeltas, HeapGraph, summarize, type Group, type HeapGroupDelta } from '../lib/heap-summary.ts';
import { benchDir, sleep } from '../lib/proc.ts';
import { setupRooms, waitQuiet } from './broadcast.ts';
import type { ServerMemory, Target } from './targets.ts';

export const heapDir = path.join(benchDir, 'results', 'heap');

/** What a browser sends with the upgrade request (the session cookie is added per client). */
export function browserHeaders(serverUrl: string): Record<string, string> {
  return {
    Origin: serverUrl.replace(/^ws/, 'http'),
    'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Accept-Encoding': 'gzip, deflate, br, zstd',
    'Accept-Language': 'en-US,en;q=0.9',
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
  };
}

export interface HeapOptions {
  clients: number;
  rooms: number;
  /** Clients that connect, join and leave before the "before" snapshot (lazy initialisation, caches). */
  warmup: number;
  concurrency: number;
}

interface Memory {
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  rssMb: number;
  /** Each V8 heap space, committed / used MB: committed memory that no live object uses still counts in RSS. */
  spacesMb?: Record<string, { committed: number; used: number }>;
}

export interface AnatomyRow {
  path: string;
  group: string;
  self: number;
  retained: number;
}

export interface HeapResult {
  clients: number;
  rooms: number;
  connectMs: number;
  joinMs: number;
  before: Memory;
  after: Memory;
  /** (after − before) ÷ clients, bytes, from process.memoryUsage() after a full GC and from /proc. */
  perConnection: {
    heapUsed: number;
    external: number;
    rss: number;
    snapshotSelf: number;
    /** Mean retained size (dominator tree) of a socket.io Socket: what only that socket keeps alive. */
    socketRetained: number;
  };
  snapshots: { before: string; after: string; beforeNodes: number; afterNodes: number; writeMs: number; parseMs: number };
  /** Groups ordered by self bytes added per connection (the top ones, and every one ≥ 1 byte/connection). */
  groups: HeapGroupDelta[];
  /** The same by owner path (group ⟵ first retainer.edge ⟵ its first retainer.edge). */
  owners: HeapGroupDelta[];
  /** One connection's socket.io Socket, three levels of its own properties, with retained sizes. */
  anatomy: AnatomyRow[];
  /** Bytes per connection by structure (retained sizes), see structures(). */
  structures: Record<string, number>;
}

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const memory = (m: ServerMemory, rss: number): Memory => ({
  heapUsedMb: mb(m.heapUsed),
  heapTotalMb: mb(m.heapTotal),
  externalMb: mb(m.external),
  arrayBuffersMb: mb(m.arrayBuffers),
  rssMb: mb(rss),
  spacesMb: Object.fromEntries(Object.entries(m.spaces).map(([name, x]) => [name, { committed: mb(x.size), used: mb(x.used) }])),
});

/**
 * Heap per idle connection: a fresh server; `warmup` clients connect, join and leave; memory after a full
 * GC and a heap snapshot ("before"); then `clients` connect the way the web client does (upgrade request
 * with a browser's headers and the session cookie, then `join` with lastSeq null) and stay idle; once no
 * frame has arrived for 1.5 s, memory and a second snapshot ("after"). Both snapshots are grouped by
 * constructor (bench/lib/heap-summary.ts); the difference ÷ clients is what one connection costs.
 * The baseline gets the same requests (it ignores the cookie), so the difference between the two
 * servers is what the product's own code keeps.
 */
export async function heap(pool: ClientPool, target: Target, o: HeapOptions, stamp: string): Promise<HeapResult> {
  fs.mkdirSync(heapDir, { recursive: true });
  const base = path.join(heapDir, `${stamp}-${target.kind}`);
  const headers = browserHeaders(target.servers[0]!.url);
  const layout = (members: number, firstIdx: number) =>
    ({ tag: 'hp', rooms: o.rooms, members: members / o.rooms, senders: 0, firstIdx, quietJoins: true, headers, sessionCookie: true }) as const;

  await setupRooms(pool, target, layout(o.warmup, 3_000_000), o.concurrency);
  await waitQuiet(pool, 1_000);
  await pool.closeClients();
  await sleep(3_000); // presence removals, the join-notice window closing
  // Snapshot first, then memory: writing a snapshot raises RSS for good, so both RSS readings come after it.
  const s0 = (await target.heapSnapshot(`${base}-before`))[0]!;
  const m0 = (await target.memory())[0]!;
  const rss0 = target.rss();

  const l = await setupRooms(pool, target, layout(o.clients, 3_100_000), o.concurrency);
  await waitQuiet(pool, 1_500, 120_000);
  const m1 = (await target.memory())[0]!;
  const rss1 = target.rss();
  const s1 = (await target.heapSnapshot(`${base}-after`))[0]!;
  await pool.closeClients();
  await sleep(500);

  const t0 = performance.now();
  const before = summarize(s0.file, { owners: true });
  const after = summarize(s1.file, { retained: true, owners: true });
  const parseMs = Math.round(performance.now() - t0);
  const per = (x: number) => Math.round((x / o.clients) * 10) / 10;
  return {
    clients: o.clients,
    rooms: o.rooms,
    connectMs: Math.round(l.connectMs),
    joinMs: Math.round(l.joinMs),
    before: memory(m0, rss0),
    after: memory(m1, rss1),
    perConnection: {
      heapUsed: per(m1.heapUsed - m0.heapUsed),
      external: per(m1.external - m0.external),
      rss: per(rss1 - rss0),
      snapshotSelf: per(after.totalSelf - before.totalSelf),
      socketRetained: (() => {
        const sock = after.groups.get('Socket (socket.io)');
        return sock ? Math.round(sock.retained / sock.count) : 0;
      })(),
    },
    snapshots: {
      before: path.relative(process.cwd(), s0.file),
      after: path.relative(process.cwd(), s1.file),
      beforeNodes: before.nodes,
      afterNodes: after.nodes,
      writeMs: s0.ms + s1.ms,
      parseMs,
    },
    groups: groupDeltas(before.groups, after.groups, o.clients, after.graph.snippets),
    owners: groupDeltas(before.owners!, after.owners!, o.clients, after.graph.snippets),
    anatomy: anatomy(after.graph, after.retainedOf!, after.groups, o.clients),
    structures: structures(after.graph, after.retainedOf!, o.clients),
  };
}

/**
 * Retained sizes (dominator tree) of the per-connection structures, in bytes per connection: properties
 * of a socket.io Socket (mean over all sockets), and the shared maps that hold one entry per connection
 * (retained size ÷ clients). These partition most of the heap a connection costs.
 */
export function structures(g: HeapGraph, retained: Float64Array, clients: number): Record<string, number> {
  const out: Record<string, number> = {};
  const prop = (n: number | undefined, name: string) => (n === undefined ? undefined : (g.edgeTo(n, 'property', name) ?? g.edgeTo(n, 'internal', name)));
  const paths = ['_events', 'data', 'fns', 'acks', 'handshake', 'client', 'client.conn', 'client.conn.request', 'client.conn.transport'];
  const sums = new Map<string, number>();
  let sockets = 0;
  let first: number | undefined;
  let presence: number | undefined;
  for (let n = 0; n < g.nodeCount; n++) {
    const group = g.groupOf(n);
    if (group === 'MemoryPresenceStore') presence = n;
    if (group !== 'Socket (socket.io)') continue;
    sockets++;
    first ??= n;
    for (const p of paths) {
      const to = p.split('.').reduce<number | undefined>((at, k) => prop(at, k), n);
      if (to !== undefined) sums.set(p, (sums.get(p) ?? 0) + retained[to]!);
    }
  }
  if (!sockets) return out;
  for (const p of paths) out[`socket.${p}`] = Math.round((sums.get(p) ?? 0) / sockets);
  const adapter = prop(first, 'adapter');
  const shared: [string, number | undefined][] = [
    ['adapter.rooms (÷ clients)', prop(adapter, 'rooms')],
    ['adapter.sids (÷ clients)', prop(adapter, 'sids')],
    ['namespace.sockets (÷ clients)', prop(prop(first, 'nsp'), 'sockets')],
    ['engine.clients (÷ clients)', prop(prop(prop(first, 'client'), 'conn'), 'server') !== undefined ? prop(prop(prop(prop(first, 'client'), 'conn'), 'server'), 'clients') : undefined],
    ['presence store byRoom (÷ clients)', prop(presence, 'byRoom')],
  ];
  for (const [label, n] of shared) if (n !== undefined) out[label] = Math.round(retained[n]! / clients);
  return out;
}

/** The last socket.io Socket in the snapshot and its own properties, three levels deep, with retained sizes. */
export function anatomy(g: HeapGraph, retained: Float64Array, groups: Map<string, Group>, clients: number): AnatomyRow[] {
  let socket = -1;
  for (let n = g.nodeCount - 1; n >= 0 && socket < 0; n--) if (g.groupOf(n) === 'Socket (socket.io)') socket = n;
  if (socket < 0) return [];
  const rows: AnatomyRow[] = [];
  const walk = (n: number, prefix: string, depth: number) => {
    for (const [type, name, to] of g.edgesOf(n)) {
      if (type === 'weak' || type === 'shortcut' || type === 'hidden' || name === '__proto__' || name === 'map') continue;
      const label = type === 'element' ? `${prefix}[${name}]` : type === 'property' || type === 'internal' ? `${prefix}.${name}` : `${prefix}<${type}:${name}>`;
      // Shared structures (server, namespace, adapter: classes with fewer instances than connections) are not this connection's.
      if (retained[to]! > 50_000 || (groups.get(g.groupOf(to))?.count ?? 0) < clients / 2) {
        rows.push({ path: label, group: `${g.groupOf(to)} (shared)`, self: 0, retained: 0 });
        continue;
      }
      rows.push({ path: label, group: g.groupOf(to), self: g.selfSize(to), retained: retained[to]! });
      if (depth < 2 && retained[to]! > 150 && g.type(to) !== 'string') walk(to, label, depth + 1);
    }
  };
  rows.push({ path: 'socket', group: g.groupOf(socket), self: g.selfSize(socket), retained: retained[socket]! });
  walk(socket, 'socket', 0);
  return rows;
}
