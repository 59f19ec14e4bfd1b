/**
 * Reads V8 `.heapsnapshot` files (the JSON that v8.writeHeapSnapshot / --heapsnapshot-signal /
 * Chrome DevTools write: `snapshot.meta` describes the layout of the flat `nodes` / `edges` integer
 * arrays, names index `strings`) and groups them, for bench/scenarios/heap.ts and for people:
 *
 *   node --import tsx bench/lib/heap-summary.ts [--per=5000] [--top=40] [--retained] \
 *     --baseline=<before.heapsnapshot>,<after.heapsnapshot> --product=<before>,<after>
 *   node --import tsx bench/lib/heap-summary.ts [--retained] <file.heapsnapshot>   # one snapshot, top groups
 *
 * Groups are keyed like DevTools' "Summary" view, by constructor name for objects (the three `Socket`
 * classes of a connection told apart), with closures split by function name and source line
 * (`(closure) name @file:line`, via the closure's SharedFunctionInfo → Script edges; tsx output mapped
 * back to the .ts line), strings/numbers/code lumped. The unit is SELF (shallow) size; the "owner path"
 * view keys each node by its group and first two retainers instead. The file is read as a stream: a
 * snapshot of many thousands of connections is hundreds of MB, near V8's maximum string length.
 *
 * Retained sizes come from the dominator tree (Cooper–Harvey–Kennedy over the graph from the synthetic
 * root, weak edges ignored, shortcut edges only from the root — as DevTools does).
 */
import fs from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printHeapGroups } from '../report.ts';

export interface Group {
  count: number;
  self: number;
  /** Sum of retained sizes of the group's instances (only filled when retained sizes were computed). */
  retained: number;
}

export interface SnapshotSummary {
  file: string;
  nodes: number;
  edges: number;
  totalSelf: number;
  groups: Map<string, Group>;
}

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
  location_fields?: string[];
}

/** A growable integer array; nodes and edges (non-negative, < 2^32) go to Uint32Array, the rest to Float64Array. */
class IntArray {
  a: Uint32Array | Float64Array;
  n = 0;
  constructor(capacity: number, private readonly wide: boolean) {
    this.a = wide ? new Float64Array(Math.max(16, capacity)) : new Uint32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.wide ? new Float64Array(this.a.length * 2) : new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

type Ints = Uint32Array | Float64Array;

interface Parsed {
  meta: Meta;
  nodes: Ints;
  edges: Ints;
  locations: Ints;
  strings: string[];
}

/** Streams the file: the header is JSON-parsed, integer arrays go to typed arrays, strings one by one. */
export function parseSnapshot(file: string): Parsed {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(8 << 20);
  let buf = Buffer.alloc(0);
  let pos = 0;
  let eof = false;
  const fill = (): boolean => {
    if (eof) return false;
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) {
      eof = true;
      return false;
    }
    buf = pos < buf.length ? Buffer.concat([buf.subarray(pos), chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
    pos = 0;
    return true;
  };
  try {
    // Header: everything up to `"nodes":[`.
    let head = '';
    for (;;) {
      if (!fill()) throw new Error(`${file}: no "nodes" array`);
      const at = buf.indexOf('"nodes":[');
      if (at >= 0) {
        head += buf.toString('utf8', 0, at);
        pos = at;
        break;
      }
      head += buf.toString('utf8', 0, buf.length - 16);
      pos = buf.length - 16;
    }
    const header = JSON.parse(head.replace(/,\s*$/, '') + '}') as { snapshot: { meta: Meta; node_count: number; edge_count: number } };
    const meta = header.snapshot.meta;
    const arrays = new Map<string, IntArray>();
    let strings: string[] = [];
    // Body: `"key":[ … ]` sections, up to the closing brace.
    for (;;) {
      const quote = buf.indexOf(0x22 /* " */, pos);
      const colon = quote >= 0 ? buf.indexOf('":[', quote + 1) : -1;
      if (colon < 0) {
        if (!fill()) return finish();
        continue;
      }
      const key = buf.toString('utf8', quote + 1, colon);
      pos = colon + 3;
      if (key === 'strings') strings = readStrings();
      else {
        const big = key === 'nodes' || key === 'edges';
        const expected = key === 'nodes' ? header.snapshot.node_count * meta.node_fields.length : key === 'edges' ? header.snapshot.edge_count * meta.edge_fields.length : 1024;
        arrays.set(key, readInts(expected, !big));
      }
    }

    function finish(): Parsed {
      const get = (k: string) => {
        const x = arrays.get(k);
        return x ? x.a.subarray(0, x.n) : new Uint32Array(0);
      };
      const out = { meta, nodes: get('nodes'), edges: get('edges'), locations: get('locations'), strings };
      const { node_count: nc, edge_count: ec } = header.snapshot;
      if (out.nodes.length !== nc * meta.node_fields.length || out.edges.length !== ec * meta.edge_fields.length) {
        throw new Error(`${file}: read ${out.nodes.length} node and ${out.edges.length} edge fields, header says ${nc} × ${meta.node_fields.length} and ${ec} × ${meta.edge_fields.length}`);
      }
      return out;
    }

    function readInts(expected: number, wide: boolean): IntArray {
      const out = new IntArray(expected, wide);
      let v = 0;
      let inNum = false;
      let neg = false;
      for (;;) {
        const b = buf;
        const end = b.length;
        let i = pos;
        for (; i < end; i++) {
          const c = b[i]!;
          if (c >= 0x30 && c <= 0x39) {
            v = v * 10 + (c - 0x30);
            inNum = true;
          } else if (c === 0x2d /* - */) {
            neg = true;
          } else {
            if (inNum) {
              out.push(neg ? -v : v);
              v = 0;
              inNum = false;
              neg = false;
            }
            if (c === 0x5d /* ] */) {
              pos = i + 1;
              return out;
            }
          }
        }
        pos = end;
        if (!fill()) {
          if (inNum) out.push(neg ? -v : v);
          return out;
        }
      }
    }

    function readStrings(): string[] {
      const out: string[] = [];
      for (;;) {
        // Skip separators to the next string or the closing bracket.
        while (pos < buf.length && buf[pos] !== 0x22 && buf[pos] !== 0x5d) pos++;
        if (pos >= buf.length) {
          if (!fill()) return out;
          continue;
        }
        if (buf[pos] === 0x5d) {
          pos++;
          return out;
        }
        // A JSON string: find its unescaped closing quote (possibly in a later chunk).
        let i = pos + 1;
        for (;;) {
          while (i < buf.length && buf[i] !== 0x22) i += buf[i] === 0x5c /* \ */ ? 2 : 1;
          if (i < buf.length) break;
          const offset = i - pos;
          if (!fill()) return out;
          i = pos + offset;
        }
        out.push(JSON.parse(buf.toString('utf8', pos, i + 1)) as string);
        pos = i + 1;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A parsed snapshot with its graph helpers. */
export class HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly F: number;
  readonly EF: number;
  private readonly typeOff: number;
  private readonly nameOff: number;
  private readonly sizeOff: number;
  private readonly edgeCountOff: number;
  private readonly edgeTypeOff: number;
  private readonly edgeNameOff: number;
  private readonly edgeToOff: number;
  /** First edge (index into edges / EF) of each node; firstEdge[n + 1] is one past its last. */
  readonly firstEdge: Uint32Array;
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  private readonly weakType: number;
  private readonly shortcutType: number;
  readonly strings: string[];
  private readonly nodes: Ints;
  private readonly edges: Ints;
  /** Closure node ordinal → "file:line" (from the location section, 1-based line). */
  readonly locations = new Map<number, { scriptId: number; line: number; column: number }>();

  constructor(p: Parsed) {
    const m = p.meta;
    this.F = m.node_fields.length;
    this.EF = m.edge_fields.length;
    this.typeOff = m.node_fields.indexOf('type');
    this.nameOff = m.node_fields.indexOf('name');
    this.sizeOff = m.node_fields.indexOf('self_size');
    this.edgeCountOff = m.node_fields.indexOf('edge_count');
    this.edgeTypeOff = m.edge_fields.indexOf('type');
    this.edgeNameOff = m.edge_fields.indexOf('name_or_index');
    this.edgeToOff = m.edge_fields.indexOf('to_node');
    this.nodeTypes = m.node_types[0];
    this.edgeTypes = m.edge_types[0];
    this.weakType = this.edgeTypes.indexOf('weak');
    this.shortcutType = this.edgeTypes.indexOf('shortcut');
    this.strings = p.strings;
    this.nodes = p.nodes;
    this.edges = p.edges;
    this.nodeCount = p.nodes.length / this.F;
    this.edgeCount = p.edges.length / this.EF;
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    for (let n = 0, e = 0; n < this.nodeCount; n++) {
      this.firstEdge[n] = e;
      e += p.nodes[n * this.F + this.edgeCountOff]!;
      this.firstEdge[n + 1] = e;
    }
    const lf = m.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
    const LF = lf.length;
    const [oi, si, li, ci] = ['object_index', 'script_id', 'line', 'column'].map((f) => lf.indexOf(f)) as [number, number, number, number];
    for (let i = 0; i + LF <= p.locations.length; i += LF) {
      this.locations.set(p.locations[i + oi]! / this.F, { scriptId: p.locations[i + si]!, line: p.locations[i + li]! + 1, column: p.locations[i + ci]! + 1 });
    }
  }

  type(n: number): string {
    return this.nodeTypes[this.nodes[n * this.F + this.typeOff]!] ?? '?';
  }
  name(n: number): string {
    return this.strings[this.nodes[n * this.F + this.nameOff]!] ?? '';
  }
  selfSize(n: number): number {
    return this.nodes[n * this.F + this.sizeOff]!;
  }
  /** Edges of node n: [type, name (property name or element index), target ordinal]. */
  *edgesOf(n: number): Generator<[string, string | number, number]> {
    for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) {
      const t = this.edgeTypes[this.edges[e * this.EF + this.edgeTypeOff]!] ?? '?';
      const raw = this.edges[e * this.EF + this.edgeNameOff]!;
      const name = t === 'element' || t === 'hidden' ? raw : (this.strings[raw] ?? String(raw));
      yield [t, name, this.edges[e * this.EF + this.edgeToOff]! / this.F];
    }
  }
  edgeTo(n: number, type: string, name: string): number | undefined {
    for (const [t, nm, to] of this.edgesOf(n)) if (t === type && nm === name) return to;
    return undefined;
  }

  private scriptNames: Map<number, string> | null = null;
  /** Script id → file name, from the Script objects' `name` edges (found through closures). */
  private scriptNameOf(closure: number): string {
    const shared = this.edgeTo(closure, 'internal', 'shared');
    if (shared === undefined) return '?';
    const script = this.edgeTo(shared, 'internal', 'script') ?? this.edgeTo(shared, 'internal', 'script_or_debug_info');
    if (script === undefined) return '?';
    const nameNode = this.edgeTo(script, 'internal', 'name');
    return nameNode === undefined ? '?' : this.name(nameNode);
  }

  /** The start of each closure site's function text, for people to find it (`site` → snippet). */
  readonly snippets = new Map<string, string>();

  /**
   * Where a closure's function is defined: `file:line`, file relative to the repository when inside it.
   * tsx compiles TypeScript to one line per file (minified whitespace), so for .ts files the position is
   * mapped back to the TypeScript line through the source map of the same esbuild transform.
   */
  closureSite(n: number): string {
    const loc = this.locations.get(n);
    this.scriptNames ??= new Map();
    let file = loc ? this.scriptNames.get(loc.scriptId) : undefined;
    if (file === undefined) {
      file = this.scriptNameOf(n);
      if (loc) this.scriptNames.set(loc.scriptId, file);
    }
    if (!loc) return shortFile(file);
    const mapped = tsPosition(file, loc.line, loc.column);
    const site = `${shortFile(file)}:${mapped?.line ?? loc.line}`;
    if (mapped?.snippet && !this.snippets.has(site)) this.snippets.set(site, mapped.snippet);
    return site;
  }

  private socketKind(n: number): string {
    for (const [t, name] of this.edgesOf(n)) {
      if (t !== 'property') continue;
      if (name === 'nsp') return 'socket.io';
      if (name === 'transport') return 'engine.io';
      if (name === '_handle' || name === 'connecting') return 'net';
    }
    return '?';
  }

  /** The DevTools-like group of node n. */
  groupOf(n: number): string {
    const t = this.type(n);
    switch (t) {
      case 'object': {
        const name = this.name(n);
        // Three unrelated classes per connection are all called Socket: tell them apart by a property.
        if (name === 'Socket') return `Socket (${this.socketKind(n)})`;
        return name || '(anonymous object)';
      }
      case 'closure':
        return `(closure) ${this.name(n) || '(anonymous)'} @${this.closureSite(n)}`;
      case 'string':
      case 'concatenated string':
      case 'sliced string':
        return `(${t})`;
      case 'array':
      case 'hidden':
      case 'native':
      case 'object shape':
        return `(${t}) ${this.name(n)}`;
      default:
        return `(${t})`;
    }
  }

  private retainerIndex: { first: Uint32Array; edge: Uint32Array; from: Uint32Array } | null = null;

  /** Reverse edges (weak and shortcut edges left out), built on first use. */
  private retainers() {
    if (this.retainerIndex) return this.retainerIndex;
    const N = this.nodeCount;
    const usable = (e: number) => {
      const t = this.edges[e * this.EF + this.edgeTypeOff]!;
      return t !== this.weakType && t !== this.shortcutType;
    };
    const to = (e: number) => this.edges[e * this.EF + this.edgeToOff]! / this.F;
    const first = new Uint32Array(N + 1);
    for (let e = 0; e < this.edgeCount; e++) if (usable(e)) first[to(e) + 1]!++;
    for (let n = 0; n < N; n++) first[n + 1]! += first[n]!;
    const at = first.slice(0, N);
    const edge = new Uint32Array(first[N]!);
    const from = new Uint32Array(first[N]!);
    for (let n = 0; n < N; n++) {
      for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) {
        if (!usable(e)) continue;
        const k = at[to(e)]!++;
        edge[k] = e;
        from[k] = n;
      }
    }
    return (this.retainerIndex = { first, edge, from });
  }

  private edgeLabel(e: number): string {
    const t = this.edgeTypes[this.edges[e * this.EF + this.edgeTypeOff]!] ?? '?';
    const raw = this.edges[e * this.EF + this.edgeNameOff]!;
    if (t === 'element') return '[]';
    if (t === 'hidden') return '<hidden>';
    const name = this.strings[raw] ?? String(raw);
    return t === 'context' ? `<var ${name}>` : name;
  }

  /**
   * Where node n hangs: its group, then up to `depth` first retainers with the edge that holds it,
   * e.g. `(array) (object properties) ⟵ Object.properties ⟵ Socket (socket.io)._events`. A closure's
   * Context shows the closure (and so the code) that owns it.
   */
  ownerPath(n: number, depth = 2): string {
    const r = this.retainers();
    let key = this.groupOf(n);
    let cur = n;
    for (let d = 0; d < depth; d++) {
      if (r.first[cur] === r.first[cur + 1]) break;
      let k = r.first[cur]!;
      // A Context belongs to the closure that captured it (other contexts may point at it too).
      if (this.name(cur) === 'system / Context') {
        for (let j = r.first[cur]!; j < r.first[cur + 1]!; j++) {
          if (this.type(r.from[j]!) === 'closure') {
            k = j;
            break;
          }
        }
      }
      const owner = r.from[k]!;
      if (owner === 0 || this.name(owner).startsWith('(')) break; // the synthetic root, (GC roots), …
      key += ` ⟵ ${this.groupOf(owner)}.${this.edgeLabel(r.edge[k]!)}`;
      cur = owner;
    }
    return key;
  }

  /**
   * Immediate dominators over the graph from node 0 (the synthetic root), then retained sizes.
   * Essential edges only: no weak edges, shortcut edges only from the root (DevTools' rule).
   */
  retainedSizes(): Float64Array {
    const N = this.nodeCount;
    const essential = (from: number, e: number) => {
      const t = this.edges[e * this.EF + this.edgeTypeOff]!;
      return t !== this.weakType && (t !== this.shortcutType || from === 0);
    };
    const to = (e: number) => this.edges[e * this.EF + this.edgeToOff]! / this.F;
    // Post-order by iterative DFS.
    const postOrder = new Int32Array(N).fill(-1); // node → post-order number
    const order = new Int32Array(N); // post-order number → node
    const visited = new Uint8Array(N);
    const stackNode = new Int32Array(N);
    const stackEdge = new Uint32Array(N);
    let sp = 0;
    let count = 0;
    stackNode[0] = 0;
    stackEdge[0] = this.firstEdge[0]!;
    visited[0] = 1;
    sp = 1;
    while (sp > 0) {
      const n = stackNode[sp - 1]!;
      const e = stackEdge[sp - 1]!;
      if (e < this.firstEdge[n + 1]!) {
        stackEdge[sp - 1] = e + 1;
        if (!essential(n, e)) continue;
        const m = to(e);
        if (visited[m]) continue;
        visited[m] = 1;
        stackNode[sp] = m;
        stackEdge[sp] = this.firstEdge[m]!;
        sp++;
      } else {
        postOrder[n] = count;
        order[count++] = n;
        sp--;
      }
    }
    // Predecessors (essential edges between reachable nodes), CSR.
    const predCount = new Uint32Array(N + 1);
    for (let n = 0; n < N; n++) {
      if (!visited[n]) continue;
      for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) if (essential(n, e)) predCount[to(e) + 1]!++;
    }
    for (let n = 0; n < N; n++) predCount[n + 1]! += predCount[n]!;
    const preds = new Int32Array(predCount[N]!);
    const fillAt = predCount.slice(0, N);
    for (let n = 0; n < N; n++) {
      if (!visited[n]) continue;
      for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) if (essential(n, e)) preds[fillAt[to(e)]!++] = n;
    }
    // Cooper–Harvey–Kennedy, on post-order numbers (root = count - 1).
    const root = count - 1;
    const idom = new Int32Array(count).fill(-1);
    idom[root] = root;
    const intersect = (a: number, b: number) => {
      while (a !== b) {
        while (a < b) a = idom[a]!;
        while (b < a) b = idom[b]!;
      }
      return a;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = root - 1; i >= 0; i--) {
        const n = order[i]!;
        let best = -1;
        for (let k = predCount[n]!; k < predCount[n + 1]!; k++) {
          const p = postOrder[preds[k]!]!;
          if (p < 0 || idom[p] === -1) continue;
          best = best === -1 ? p : intersect(p, best);
        }
        if (best !== -1 && idom[i] !== best) {
          idom[i] = best;
          changed = true;
        }
      }
    }
    // Retained = self + retained of dominated nodes (children have lower post-order numbers).
    const retained = new Float64Array(N);
    const byOrder = new Float64Array(count);
    for (let i = 0; i < count; i++) byOrder[i] = this.selfSize(order[i]!);
    for (let i = 0; i < root; i++) if (idom[i]! >= 0 && idom[i] !== i) byOrder[idom[i]!]! += byOrder[i]!;
    for (let i = 0; i < count; i++) retained[order[i]!] = byOrder[i]!;
    return retained;
  }
}

type Mapper = (line: number, column: number) => { line: number; snippet: string } | null;
const mappers = new Map<string, Mapper | null>();
const require = createRequire(import.meta.url);

/** 1-based position in tsx's output for a .ts file → 1-based TypeScript line and the code found there. */
function tsPosition(scriptName: string, line: number, column: number): { line: number; snippet: string } | null {
  let mapper = mappers.get(scriptName);
  if (mapper === undefined) mappers.set(scriptName, (mapper = tsMapper(scriptName)));
  return mapper ? mapper(line, column) : null;
}

function tsMapper(scriptName: string): Mapper | null {
  const file = scriptName.startsWith('file://') ? fileURLToPath(scriptName.split('?')[0]!) : scriptName;
  if (!/\.(ts|mts|tsx)$/.test(file) || !fs.existsSync(file)) return null;
  try {
    // esbuild comes with tsx (which runs the bench); the options are tsx 4's for ES modules.
    const esbuild = require('esbuild') as {
      transformSync(code: string, o: Record<string, unknown>): { code: string; map: string };
    };
    const out = esbuild.transformSync(fs.readFileSync(file, 'utf8'), {
      loader: file.endsWith('x') ? 'tsx' : 'ts',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: true,
      sourcesContent: false,
      minifyWhitespace: true,
      keepNames: true,
      sourcefile: file,
    });
    const map = new SourceMap(JSON.parse(out.map) as ConstructorParameters<typeof SourceMap>[0]);
    const lines = out.code.split('\n');
    return (line, column) => {
      const e = map.findEntry(line - 1, column - 1) as { originalLine?: number };
      const snippet = (lines[line - 1] ?? '').slice(column - 1, column + 79);
      return e.originalLine === undefined ? null : { line: e.originalLine + 1, snippet };
    };
  } catch {
    return null;
  }
}

function shortFile(name: string): string {
  if (!name || name === '?') return '?';
  const url = name.startsWith('file://') ? decodeURIComponent(name.slice(7)) : name;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14);
  const rel = path.relative(process.cwd(), url);
  return rel.startsWith('..') ? url : rel;
}

export interface HeapGroupDelta {
  group: string;
  /** Instances added per connection ((after − before) ÷ clients). */
  countPerConnection: number;
  /** Self bytes added per connection. */
  selfPerConnection: number;
  /** Mean retained size of one instance in the "after" snapshot (0 when retained sizes were not computed). */
  retainedPerInstance: number;
  /** For closures: the start of the function's (compiled) text. */
  snippet?: string;
}

/** Per-connection growth of every group: the top 60 by self bytes, plus any other ≥ 1 byte per connection. */
export function groupDeltas(before: Map<string, Group>, after: Map<string, Group>, clients: number, snippets?: Map<string, string>): HeapGroupDelta[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const out: HeapGroupDelta[] = [];
  for (const k of keys) {
    const b = before.get(k) ?? { count: 0, self: 0, retained: 0 };
    const a = after.get(k) ?? { count: 0, self: 0, retained: 0 };
    const site = /\(closure\) [^@]*@(\S+?:\d+)/.exec(k)?.[1];
    const snippet = site ? snippets?.get(site) : undefined;
    out.push({
      group: k,
      countPerConnection: Math.round(((a.count - b.count) / clients) * 100) / 100,
      selfPerConnection: Math.round(((a.self - b.self) / clients) * 10) / 10,
      retainedPerInstance: a.count && a.retained ? Math.round(a.retained / a.count) : 0,
      ...(snippet ? { snippet } : {}),
    });
  }
  out.sort((x, y) => y.selfPerConnection - x.selfPerConnection);
  return out.filter((g, i) => i < 60 || Math.abs(g.selfPerConnection) >= 1);
}

/**
 * Groups a snapshot by constructor (self size, count, and retained size when asked); with `owners`, also
 * by owner path (HeapGraph.ownerPath: the group and its first two retainers).
 */
export function summarize(
  file: string,
  opts: { retained?: boolean; owners?: boolean } = {},
): SnapshotSummary & { graph: HeapGraph; retainedOf?: Float64Array; owners?: Map<string, Group> } {
  const g = new HeapGraph(parseSnapshot(file));
  const retainedOf = opts.retained ? g.retainedSizes() : undefined;
  const groups = new Map<string, Group>();
  const owners = opts.owners ? new Map<string, Group>() : undefined;
  const add = (m: Map<string, Group>, key: string, size: number, retained: number) => {
    let grp = m.get(key);
    if (!grp) m.set(key, (grp = { count: 0, self: 0, retained: 0 }));
    grp.count++;
    grp.self += size;
    grp.retained += retained;
  };
  let totalSelf = 0;
  for (let n = 0; n < g.nodeCount; n++) {
    const size = g.selfSize(n);
    totalSelf += size;
    add(groups, g.groupOf(n), size, retainedOf ? retainedOf[n]! : 0);
    if (owners) add(owners, g.ownerPath(n), size, 0);
  }
  return { file, nodes: g.nodeCount, edges: g.edgeCount, totalSelf, groups, graph: g, retainedOf, owners };
}

function main(argv: string[]): void {
  const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const top = Number(opt('top') ?? 40);
  const pairs = { baseline: opt('baseline')?.split(','), product: opt('product')?.split(',') };
  if (pairs.baseline || pairs.product) {
    const per = Number(opt('per') ?? 5000);
    const result: Partial<Record<'baseline' | 'product', { groups: HeapGroupDelta[]; owners: HeapGroupDelta[] }>> = {};
    for (const kind of ['baseline', 'product'] as const) {
      const files = pairs[kind];
      if (!files) continue;
      if (files.length !== 2) throw new Error(`--${kind}=<before.heapsnapshot>,<after.heapsnapshot>`);
      const before = summarize(files[0]!, { owners: true });
      const after = summarize(files[1]!, { retained: argv.includes('--retained'), owners: true });
      result[kind] = {
        groups: groupDeltas(before.groups, after.groups, per, after.graph.snippets),
        owners: groupDeltas(before.owners!, after.owners!, per, after.graph.snippets),
      };
      console.log(`${kind}: self size ${Math.round(before.totalSelf / 2 ** 20)} → ${Math.round(after.totalSelf / 2 ** 20)} MB, ${Math.round((after.totalSelf - before.totalSelf) / per)} bytes per connection (÷ ${per})`);
    }
    printHeapGroups(result.baseline, result.product, top);
    printHeapGroups(result.baseline && { groups: result.baseline.owners }, result.product && { groups: result.product.owners }, top, 'owner path');
    return;
  }
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: heap-summary.ts <file.heapsnapshot> | --per=N --baseline=<before>,<after> --product=<before>,<after> [--top=N] [--retained]');
  const s = summarize(file, { retained: argv.includes('--retained') });
  console.log(`${file}: ${s.nodes.toLocaleString('en-US')} nodes, ${s.edges.toLocaleString('en-US')} edges, self size ${Math.round(s.totalSelf / 2 ** 20)} MB`);
  const rows = [...s.groups].sort((a, b) => b[1].self - a[1].self).slice(0, top);
  for (const [k, g] of rows) console.log(`${String(g.self).padStart(12)} B ${String(g.count).padStart(9)} × ${k}${g.retained ? `  (retained ${g.retained} B)` : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
