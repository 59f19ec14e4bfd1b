import type { machine } from './lib/proc.ts';
import type { StepResult } from './scenarios/broadcast.ts';
import type { clientSelfTest } from './scenarios/client-selftest.ts';
import type { history } from './scenarios/history.ts';
import type { joinStorm } from './scenarios/join-storm.ts';
import type { storage } from './scenarios/storage.ts';

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
  cluster: StepResult | null;
  storage: Awaited<ReturnType<typeof storage>> | null;
  history: Awaited<ReturnType<typeof history>> | null;
}

type Row = [string, string, string, string, string, string];

const fmt = (n: number | undefined) => (n === undefined ? '–' : Number.isInteger(n) ? n.toLocaleString('en-US') : String(Math.round(n * 100) / 100));
const ratio = (p: number | undefined, b: number | undefined) => (p === undefined || !b ? '–' : `${(p / b).toFixed(2)}×`);
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : 'NOT met');

/** Prints the table; returns the delivery failures (the one thing --quick asserts). */
export function printReport(r: Report): string[] {
  const rows: Row[] = [];
  const failures: string[] = [];
  const checkDelivery = (name: string, s: StepResult | { deliveryRatio: number } | undefined | null) => {
    if (s && s.deliveryRatio !== 1) failures.push(`${name}: delivery ratio ${s.deliveryRatio}`);
  };
  const add = (...row: Row) => rows.push(row);

  if (r.selftest) {
    add('client self-test', 'frames/s per client CPU-second', '', fmt(r.selftest.framesPerCpuSecond), '', '≥ 200,000');
    rows[rows.length - 1]![5] += ` ${verdict(r.selftest.framesPerCpuSecond >= 200_000)}`;
  }
  const broadcast = (name: string, b: StepResult | undefined, p: StepResult | undefined, cpuTarget?: number) => {
    if (!b && !p) return;
    checkDelivery(`${name} baseline`, b);
    checkDelivery(`${name} product`, p);
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
  broadcast(`fan-out @${f.baseline?.offeredPerSecond ?? f.product?.offeredPerSecond}/s`, f.baseline, f.product, 0.6);
  broadcast(`small rooms @${r.small.baseline?.offeredPerSecond ?? r.small.product?.offeredPerSecond}/s`, r.small.baseline, r.small.product);
  const m = r.maxrate;
  if (m.baseline || m.product) {
    const q = m.product && m.baseline ? m.product.maxPerSecond / m.baseline.maxPerSecond : undefined;
    add('max rate fan-out', 'comments/s at p99 ≤ 100 ms, delivery 1.0', fmt(m.baseline?.maxPerSecond), fmt(m.product?.maxPerSecond), ratio(m.product?.maxPerSecond, m.baseline?.maxPerSecond), `≥ 1.5× ${verdict(q === undefined ? undefined : q >= 1.5)}`);
  }
  const s = r.storm;
  if (s.baseline || s.product) {
    const q = s.product && s.baseline ? s.product.totalMs / s.baseline.totalMs : undefined;
    add(`join storm ${s.product?.clients ?? s.baseline?.clients}`, 'connect + join all, ms', fmt(s.baseline?.totalMs), fmt(s.product?.totalMs), ratio(s.product?.totalMs, s.baseline?.totalMs), `≤ 0.2× ${verdict(q === undefined ? undefined : q <= 0.2)}`);
    add('', 'frames received by clients', fmt(s.baseline?.framesReceived), fmt(s.product?.framesReceived), ratio(s.product?.framesReceived, s.baseline?.framesReceived), '');
    const rq = s.product && s.baseline ? s.product.rssPerConnectionKb / s.baseline.rssPerConnectionKb : undefined;
    add('idle capacity', 'RSS per connection, KB', fmt(s.baseline?.rssPerConnectionKb), fmt(s.product?.rssPerConnectionKb), ratio(s.product?.rssPerConnectionKb, s.baseline?.rssPerConnectionKb), `≤ 0.55× ${verdict(rq === undefined ? undefined : rq <= 0.55)}`);
    add('', 'server RSS before → after, MB', s.baseline ? `${s.baseline.rssBeforeMb} → ${s.baseline.rssAfterMb}` : '–', s.product ? `${s.product.rssBeforeMb} → ${s.product.rssAfterMb}` : '–', '', '');
    add('', 'idle server CPU %', fmt(s.baseline?.idleCpuPercent), fmt(s.product?.idleCpuPercent), '', '');
  }
  if (r.cluster) {
    checkDelivery('product ×2 (redis)', r.cluster);
    const b = r.fanout.baseline;
    add(`product ×2 redis @${r.cluster.offeredPerSecond}/s`, 'delivery ratio (exact)', '', fmt(r.cluster.deliveryRatio), '', '1.0');
    add('', 'latency p50 / p99 / max ms', b ? `${b.latency.p50} / ${b.latency.p99} / ${b.latency.max}` : '–', `${r.cluster.latency.p50} / ${r.cluster.latency.p99} / ${r.cluster.latency.max}`, ratio(r.cluster.latency.p99, b?.latency.p99), '');
    add('', 'server CPU µs per comment (both)', fmt(b?.serverCpuUsPerComment), fmt(r.cluster.serverCpuUsPerComment), ratio(r.cluster.serverCpuUsPerComment, b?.serverCpuUsPerComment), '');
  }
  if (r.storage) {
    checkDelivery('storage', r.storage);
    add('storage (PostgreSQL)', 'comments persisted/s', '', fmt(r.storage.commentsPerSecond), '', `≥ 10,000 ${verdict(r.storage.commentsPerSecond >= 10_000)}`);
    add('', 'acked = rows in DB; delivery', '', `${fmt(r.storage.acked)} = ${fmt(r.storage.stored)}; ${fmt(r.storage.deliveryRatio)}`, '', '');
    add('', 'ack latency p50 / p99 ms', '', `${r.storage.ackLatency.p50} / ${r.storage.ackLatency.p99}`, '', '');
    add('', 'CPU µs/comment: server / PostgreSQL', '', `${fmt(r.storage.serverCpuUsPerComment)} / ${fmt(r.storage.postgresCpuUsPerComment)}`, '', '');
    add('', 'cores busy: server / PostgreSQL', '', `${r.storage.serverCores} / ${r.storage.postgresCores}`, '', '');
    if (r.storage.acked !== r.storage.stored) failures.push(`storage: ${r.storage.acked} acked but ${r.storage.stored} stored`);
  }
  if (r.history) {
    const h = r.history;
    add(`history @${fmt(h.rows)} comments`, 'page of 50: p50 / p99 ms', '', `${h.page.p50} / ${h.page.p99}`, '', `p99 ≤ 10 ${verdict(h.page.p99 <= 10)}`);
    add('', 'replay 1000 missed: p50 / p99 ms', '', `${h.replay1000.p50} / ${h.replay1000.p99}`, '', `p99 ≤ 50 ${verdict(h.replay1000.p99 <= 50)}`);
  }

  const head: Row = ['scenario', 'metric', 'baseline', 'product', 'ratio', 'target'];
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: Row) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const m0 = r.machine;
  console.log(`\nlive-room bench (${r.mode}) ${r.startedAt} — ${m0.nproc} × ${m0.model}, ${m0.memGb} GB, node ${m0.node}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  return failures;
}
