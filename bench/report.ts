import type { machine } from './lib/proc.ts';
import type { StepResult } from './scenarios/broadcast.ts';
import type { clientSelfTest } from './scenarios/client-selftest.ts';
import type { history } from './scenarios/history.ts';
import type { joinStorm } from './scenarios/join-storm.ts';
import type { storage } from './scenarios/storage.ts';
import type { HeapGroupDelta } from './lib/heap-summary.ts';
import type { HeapResult } from './scenarios/heap.ts';
import type { StreamResult } from './scenarios/stream.ts';
import type { MedianReport } from './lib/median.ts';

type Kind = 'baseline' | 'product';
export interface Report {
  startedAt: string;
  mode: 'quick' | 'full';
  machine: ReturnType<typeof machine>;
  scale: unknown;
  selftest: Awaited<ReturnType<typeof clientSelfTest>> | null;
  storm: Partial<Record<Kind, Awaited<ReturnType<typeof joinStorm>>>>;
  fanout: Partial<Record<Kind, StepResult>>;
  small: Partial<Record<Kind, StepResult>>;
  maxrate: Partial<Record<Kind, { maxPerSecond: number; steps: StepResult[] }>>;
  /** The product's fan-out with BROADCAST_WINDOW_MS=0 (the window's added latency). */
  windowOff: StepResult | null;
  cluster: StepResult | null;
  storage: Awaited<ReturnType<typeof storage>> | null;
  history: Awaited<ReturnType<typeof history>> | null;
  stream: Partial<Record<Kind, StreamResult>> & { productOverBaseline?: Record<string, number> };
  heap: Partial<Record<Kind, HeapResult>> & { productOverBaseline?: Record<string, number> };
}

const q = (p: number, b: number) => (b ? Math.round((p / b) * 100) / 100 : 0);

/** product ÷ baseline of the headline figures, stored in the results JSON next to the raw ones. */
export function addRatios(r: Report): void {
  const { baseline: sb, product: sp } = r.stream;
  if (sb && sp) {
    r.stream.productOverBaseline = {
      serverCpuUsPerComment: q(sp.serverCpuUsPerComment, sb.serverCpuUsPerComment),
      latencyP50: q(sp.latency.p50, sb.latency.p50),
      latencyP99: q(sp.latency.p99, sb.latency.p99),
      deliveredFramesPerSecond: q(sp.framesPerSecond, sb.framesPerSecond),
      setupConnectPlusJoinMs: q(sp.connectMs + sp.joinMs, sb.connectMs + sb.joinMs),
    };
  }
  const { baseline: hb, product: hq } = r.heap;
  if (hb && hq) {
    r.heap.productOverBaseline = {
      heapUsedPerConnection: q(hq.perConnection.heapUsed, hb.perConnection.heapUsed),
      snapshotSelfPerConnection: q(hq.perConnection.snapshotSelf, hb.perConnection.snapshotSelf),
      socketRetained: q(hq.perConnection.socketRetained, hb.perConnection.socketRetained),
      rssPerConnection: q(hq.perConnection.rss, hb.perConnection.rss),
    };
  }
}

type Row = [string, string, string, string, string, string];

const fmt = (n: number | undefined) => (n === undefined ? '–' : Number.isInteger(n) ? n.toLocaleString('en-US') : String(Math.round(n * 100) / 100));
const ratio = (p: number | undefined, b: number | undefined) => (p === undefined || !b ? '–' : `${(p / b).toFixed(2)}×`);
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : 'NOT met');

/** Every scenario whose delivery was not exactly 1.0, or whose acks were not all stored (the one thing --quick asserts). */
export function deliveryFailures(r: Report): string[] {
  const failures: string[] = [];
  const check = (name: string, s: { deliveryRatio: number } | undefined | null) => {
    if (s && s.deliveryRatio !== 1) failures.push(`${name}: delivery ratio ${s.deliveryRatio}`);
  };
  for (const kind of ['baseline', 'product'] as const) {
    check(`fan-out ${kind}`, r.fanout[kind]);
    check(`small rooms ${kind}`, r.small[kind]);
    check(`stream ${kind}`, r.stream[kind]);
  }
  check('fan-out, window off', r.windowOff);
  check('product ×2 (redis)', r.cluster);
  check('storage', r.storage);
  if (r.storage && r.storage.acked !== r.storage.stored) failures.push(`storage: ${r.storage.acked} acked but ${r.storage.stored} stored`);
  return failures;
}

/** Prints the table. */
export function printReport(r: Report): void {
  const rows: Row[] = [];
  const add = (...row: Row) => rows.push(row);

  if (r.selftest) {
    add('client self-test', 'frames/s per client CPU-second', '', fmt(r.selftest.framesPerCpuSecond), '', '≥ 200,000');
    rows[rows.length - 1]![5] += ` ${verdict(r.selftest.framesPerCpuSecond >= 200_000)}`;
  }
  const broadcast = (name: string, b: StepResult | undefined, p: StepResult | undefined, cpuTarget?: number) => {
    if (!b && !p) return;
    add(name, 'delivery ratio (exact)', fmt(b?.deliveryRatio), fmt(p?.deliveryRatio), '', '1.0');
    add('', 'comments acked / frames delivered', b ? `${fmt(b.acked)} / ${fmt(b.deliveredFrames)}` : '–', p ? `${fmt(p.acked)} / ${fmt(p.deliveredFrames)}` : '–', '', '');
    const codes = (x: StepResult | undefined) => (x ? Object.entries(x.failed).map(([k, v]) => `${k} ${v}`).join(', ') || 'none' : '–');
    add('', 'failed acks', codes(b), codes(p), '', '');
    add('', 'delivered frames/s', fmt(b?.framesPerSecond), fmt(p?.framesPerSecond), ratio(p?.framesPerSecond, b?.framesPerSecond), '');
    add('', 'latency p50 / p99 / max ms', b ? `${b.latency.p50} / ${b.latency.p99} / ${b.latency.max}` : '–', p ? `${p.latency.p50} / ${p.latency.p99} / ${p.latency.max}` : '–', ratio(p?.latency.p99, b?.latency.p99), '');
    const cpuRatio = p && b ? p.serverCpuUsPerComment / b.serverCpuUsPerComment : undefined;
    add('', 'server CPU µs per comment', fmt(b?.serverCpuUsPerComment), fmt(p?.serverCpuUsPerComment), ratio(p?.serverCpuUsPerComment, b?.serverCpuUsPerComment),
      cpuTarget ? `≤ ${cpuTarget}× ${verdict(cpuRatio === undefined ? undefined : cpuRatio <= cpuTarget)}` : '');
    add('', 'PostgreSQL CPU µs per comment', fmt(b?.postgresCpuUsPerComment), fmt(p?.postgresCpuUsPerComment), '', '');
    add('', 'client frames per client CPU-s', fmt(b?.clientFramesPerCpuSecond), fmt(p?.clientFramesPerCpuSecond), '', '');
  };
  const f = r.fanout;
  broadcast(`fan-out @${f.baseline?.offeredPerSecond ?? f.product?.offeredPerSecond}/s`, f.baseline, f.product, 0.5);
  const wo = r.windowOff;
  if (wo) {
    add('fan-out, window off', 'delivery ratio (exact)', '', fmt(wo.deliveryRatio), '', '1.0');
    add('', 'latency p50 / p99 / max ms', f.baseline ? `${f.baseline.latency.p50} / ${f.baseline.latency.p99} / ${f.baseline.latency.max}` : '–', `${wo.latency.p50} / ${wo.latency.p99} / ${wo.latency.max}`, ratio(wo.latency.p99, f.baseline?.latency.p99),
      f.baseline ? `p99 no worse ${verdict(wo.latency.p99 <= f.baseline.latency.p99)}` : '');
    add('', 'server CPU µs per comment', fmt(f.baseline?.serverCpuUsPerComment), fmt(wo.serverCpuUsPerComment), ratio(wo.serverCpuUsPerComment, f.baseline?.serverCpuUsPerComment), '');
    const p = f.product;
    add('', "the window's added latency p50 / p99 ms", '', p ? `${fmt(p.latency.p50 - wo.latency.p50)} / ${fmt(p.latency.p99 - wo.latency.p99)}` : '–', '', 'reported');
  }
  broadcast(`small rooms @${r.small.baseline?.offeredPerSecond ?? r.small.product?.offeredPerSecond}/s`, r.small.baseline, r.small.product, 1.0);
  const st = r.stream;
  if (st.baseline || st.product) {
    const b = st.baseline;
    const p = st.product;
    const name = `stream 1×${fmt(p?.members ?? b?.members)} @${p?.offeredPerSecond ?? b?.offeredPerSecond}/s`;
    broadcast(name, b, p, 0.3);
    add('', 'latency p50 ratio / p99 ratio', '', '', p && b ? `${ratio(p.latency.p50, b.latency.p50)} / ${ratio(p.latency.p99, b.latency.p99)}` : '–', '');
    add('', 'server CPU µs per frame', fmt(b?.serverCpuUsPerFrame), fmt(p?.serverCpuUsPerFrame), ratio(p?.serverCpuUsPerFrame, b?.serverCpuUsPerFrame), '');
    add('', 'set-up: connect / join all, ms', b ? `${fmt(b.connectMs)} / ${fmt(b.joinMs)}` : '–', p ? `${fmt(p.connectMs)} / ${fmt(p.joinMs)}` : '–', ratio(p && p.connectMs + p.joinMs, b && b.connectMs + b.joinMs), '');
    add('', 'set-up server CPU µs per member', fmt(b?.joinCpuUsPerMember), fmt(p?.joinCpuUsPerMember), ratio(p?.joinCpuUsPerMember, b?.joinCpuUsPerMember), '');
    add('', 'server RSS with all joined, MB', fmt(b?.rssMb), fmt(p?.rssMb), ratio(p?.rssMb, b?.rssMb), '');
  }
  const m = r.maxrate;
  if (m.baseline || m.product) {
    const q = m.product && m.baseline ? m.product.maxPerSecond / m.baseline.maxPerSecond : undefined;
    add('max rate fan-out', 'comments/s at p99 ≤ 100 ms, delivery 1.0', fmt(m.baseline?.maxPerSecond), fmt(m.product?.maxPerSecond), ratio(m.product?.maxPerSecond, m.baseline?.maxPerSecond), `≥ 2× ${verdict(q === undefined ? undefined : q >= 2)}`);
  }
  const s = r.storm;
  if (s.baseline || s.product) {
    const q = s.product && s.baseline ? s.product.totalMs / s.baseline.totalMs : undefined;
    add(`join storm ${s.product?.clients ?? s.baseline?.clients}`, 'connect + join all, ms', fmt(s.baseline?.totalMs), fmt(s.product?.totalMs), ratio(s.product?.totalMs, s.baseline?.totalMs), `≤ 0.2× ${verdict(q === undefined ? undefined : q <= 0.2)}`);
    add('', 'frames received by clients', fmt(s.baseline?.framesReceived), fmt(s.product?.framesReceived), ratio(s.product?.framesReceived, s.baseline?.framesReceived), '');
    add('idle capacity', 'RSS per connection, KB', fmt(s.baseline?.rssPerConnectionKb), fmt(s.product?.rssPerConnectionKb), ratio(s.product?.rssPerConnectionKb, s.baseline?.rssPerConnectionKb), '');
    add('', 'server RSS before → after, MB', s.baseline ? `${s.baseline.rssBeforeMb} → ${s.baseline.rssAfterMb}` : '–', s.product ? `${s.product.rssBeforeMb} → ${s.product.rssAfterMb}` : '–', '', '');
    add('', 'idle server CPU %', fmt(s.baseline?.idleCpuPercent), fmt(s.product?.idleCpuPercent), '', '');
  }
  if (r.cluster) {
    const b = r.fanout.baseline;
    add(`product ×2 redis @${r.cluster.offeredPerSecond}/s`, 'delivery ratio (exact)', '', fmt(r.cluster.deliveryRatio), '', '1.0');
    add('', 'latency p50 / p99 / max ms', b ? `${b.latency.p50} / ${b.latency.p99} / ${b.latency.max}` : '–', `${r.cluster.latency.p50} / ${r.cluster.latency.p99} / ${r.cluster.latency.max}`, ratio(r.cluster.latency.p99, b?.latency.p99), '');
    add('', 'server CPU µs per comment (both)', fmt(b?.serverCpuUsPerComment), fmt(r.cluster.serverCpuUsPerComment), ratio(r.cluster.serverCpuUsPerComment, b?.serverCpuUsPerComment), '');
  }
  if (r.storage) {
    add('storage (PostgreSQL)', 'comments persisted/s', '', fmt(r.storage.commentsPerSecond), '', `≥ 10,000 ${verdict(r.storage.commentsPerSecond >= 10_000)}`);
    add('', 'acked = rows in DB; delivery', '', `${fmt(r.storage.acked)} = ${fmt(r.storage.stored)}; ${fmt(r.storage.deliveryRatio)}`, '', '');
    add('', 'ack latency p50 / p99 ms', '', `${r.storage.ackLatency.p50} / ${r.storage.ackLatency.p99}`, '', '');
    add('', 'CPU µs/comment: server / PostgreSQL', '', `${fmt(r.storage.serverCpuUsPerComment)} / ${fmt(r.storage.postgresCpuUsPerComment)}`, '', '');
    add('', 'cores busy: server / PostgreSQL', '', `${r.storage.serverCores} / ${r.storage.postgresCores}`, '', '');
  }
  if (r.history) {
    const h = r.history;
    add(`history @${fmt(h.rows)} comments`, 'page of 50: p50 / p99 ms', '', `${h.page.p50} / ${h.page.p99}`, '', `p99 ≤ 10 ${verdict(h.page.p99 <= 10)}`);
    add('', 'replay 1000 missed: p50 / p99 ms', '', `${h.replay1000.p50} / ${h.replay1000.p99}`, '', `p99 ≤ 50 ${verdict(h.replay1000.p99 <= 50)}`);
  }

  const hp = r.heap;
  if (hp.baseline || hp.product) {
    const b = hp.baseline;
    const p = hp.product;
    const pc = (x: HeapResult | undefined, k: keyof HeapResult['perConnection']) => x?.perConnection[k];
    add(`heap per idle connection ×${fmt(p?.clients ?? b?.clients)}`, 'V8 heap used per connection, bytes', fmt(pc(b, 'heapUsed')), fmt(pc(p, 'heapUsed')), ratio(pc(p, 'heapUsed'), pc(b, 'heapUsed')), '');
    add('', 'heap snapshot self size per connection, bytes', fmt(pc(b, 'snapshotSelf')), fmt(pc(p, 'snapshotSelf')), ratio(pc(p, 'snapshotSelf'), pc(b, 'snapshotSelf')), '');
    add('', 'retained by one socket.io Socket, bytes', fmt(pc(b, 'socketRetained')), fmt(pc(p, 'socketRetained')), ratio(pc(p, 'socketRetained'), pc(b, 'socketRetained')), '');
    add('', 'external (buffers) per connection, bytes', fmt(pc(b, 'external')), fmt(pc(p, 'external')), '', '');
    add('', 'RSS per connection, bytes', fmt(pc(b, 'rss')), fmt(pc(p, 'rss')), ratio(pc(p, 'rss'), pc(b, 'rss')), '');
    // The issue's measure: heap + RSS per idle connection (RSS alone moves by ±6 KB between runs).
    const both = (x: HeapResult | undefined) => (x ? x.perConnection.heapUsed + x.perConnection.rss : undefined);
    const hq = both(p) !== undefined && both(b) ? both(p)! / both(b)! : undefined;
    add('', 'heap + RSS per connection, bytes', fmt(both(b)), fmt(both(p)), ratio(both(p), both(b)),
      `≤ 1.0× ${verdict(hq === undefined ? undefined : hq <= 1)} (stretch 0.55×)`);
    const mem = (x: HeapResult | undefined) => (x ? `${x.before.heapUsedMb} → ${x.after.heapUsedMb} / ${x.before.rssMb} → ${x.after.rssMb}` : '–');
    add('', 'heap used / RSS before → after, MB', mem(b), mem(p), '', '');
    // Committed old space that no live object uses (fragmentation) is RSS too; the compacting GC before each reading frees it.
    const old = (x: HeapResult | undefined) => {
      const s = x?.after.spacesMb?.['old_space'];
      return s ? `${s.committed} / ${s.used}` : '–';
    };
    add('', 'old space committed / used after, MB', old(b), old(p), '', '');
  }

  const head: Row = ['scenario', 'metric', 'baseline', 'product', 'ratio', 'target'];
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: Row) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const m0 = r.machine;
  console.log(`\nlive-room bench (${r.mode}) ${r.startedAt} — ${m0.nproc} × ${m0.model}, ${m0.memGb} GB, node ${m0.node}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  printLatencyByRate(r.maxrate);
  if (hp.baseline || hp.product) {
    printHeapGroups(hp.baseline, hp.product);
    printHeapGroups(hp.baseline && { groups: hp.baseline.owners }, hp.product && { groups: hp.product.owners }, 40, 'owner path');
    const keys = [...new Set([...Object.keys(hp.baseline?.structures ?? {}), ...Object.keys(hp.product?.structures ?? {})])];
    console.log('\nPer-connection structures (retained bytes, dominator tree):');
    for (const k of keys) {
      const bv = hp.baseline?.structures[k];
      const pv = hp.product?.structures[k];
      console.log(`  ${k.padEnd(36)} baseline ${fmt(bv).padStart(7)}  product ${fmt(pv).padStart(7)}  difference ${fmt((pv ?? 0) - (bv ?? 0)).padStart(7)}`);
    }
  }
}

/**
 * The max-rate search's steps side by side: latency against offered load. The broadcast window costs
 * latency at moderate rates and buys it back under load, and this shows where the two cross.
 */
function printLatencyByRate(m: Report['maxrate']): void {
  if (!m.baseline && !m.product) return;
  const at = (k: 'baseline' | 'product', rate: number) => m[k]?.steps.find((s) => s.offeredPerSecond === rate);
  const rates = [...new Set([...(m.baseline?.steps ?? []), ...(m.product?.steps ?? [])].map((s) => s.offeredPerSecond))].sort((a, b) => a - b);
  const cell = (s: StepResult | undefined) => (s ? `${fmt(s.latency.p50)} / ${fmt(s.latency.p99)}${s.deliveryRatio === 1 ? '' : ` (delivery ${fmt(s.deliveryRatio)})`}` : '–');
  console.log('\nLatency by offered rate (max-rate search, fan-out 10×100), p50 / p99 ms:');
  console.log('| comments/s | baseline | product |\n|---|---|---|');
  for (const rate of rates) console.log(`| ${fmt(rate)} | ${cell(at('baseline', rate))} | ${cell(at('product', rate))} |`);
}

/** `--repeat=N`: each scenario's ranking figure in every pass, and the pass the table above took. */
export function printPasses(passes: MedianReport['passes']): void {
  console.log('\nPasses (product ÷ baseline, or the product\'s figure where there is no baseline); the table shows each scenario\'s median pass [in brackets]:');
  for (const [scenario, p] of Object.entries(passes)) {
    const cells = p.values.map((v, i) => (v === null ? '–' : i === p.chosen ? `[${fmt(v)}]` : fmt(v)));
    console.log(`  ${scenario.padEnd(10)} ${cells.join('  ')}`);
  }
}

/** Per-connection growth by constructor, both servers side by side, ordered by what the product adds. */
export function printHeapGroups(b: { groups: HeapGroupDelta[] } | undefined, p: { groups: HeapGroupDelta[] } | undefined, top = 30, by_ = 'group'): void {
  const by = (x: { groups: HeapGroupDelta[] } | undefined) => new Map((x?.groups ?? []).map((g) => [g.group, g]));
  const bm = by(b);
  const pm = by(p);
  const keys = [...new Set([...bm.keys(), ...pm.keys()])];
  const diff = (k: string) => (pm.get(k)?.selfPerConnection ?? 0) - (bm.get(k)?.selfPerConnection ?? 0);
  keys.sort((x, y) => Math.abs(diff(y)) - Math.abs(diff(x)));
  const cell = (g: { countPerConnection: number; selfPerConnection: number } | undefined) => (g ? `${fmt(g.selfPerConnection)} B ×${g.countPerConnection}` : '–');
  const rows: [string, string, string, string][] = keys.slice(0, top).map((k) => [k.slice(0, 160), cell(bm.get(k)), cell(pm.get(k)), fmt(Math.round(diff(k) * 10) / 10)]);
  const head: [string, string, string, string] = [`heap ${by_} (self bytes, instances per connection)`, 'baseline', 'product', 'product − baseline, B'];
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nHeap per idle connection by ${by_} (snapshot after − before, ÷ clients), top ${top} by |difference|:`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  const snippets = keys.slice(0, top).map((k) => [k, pm.get(k)?.snippet ?? bm.get(k)?.snippet] as const).filter(([, sn]) => sn);
  if (snippets.length) console.log(`\nClosure sites (compiled code at the position):\n${[...new Set(snippets.map(([k, sn]) => `  ${/\(closure\) [^@]*@\S+?:\d+/.exec(k)?.[0]}: ${sn}`))].join('\n')}`);
}
