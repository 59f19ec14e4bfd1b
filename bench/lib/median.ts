import type { Report } from '../report.ts';

/**
 * `--repeat=N`: the headline of N passes is, per scenario, the pass with the median figure.
 *
 * This shared 2-core VM moves a scenario's figures by ±20 % between runs of the same code, even idle
 * (bench/README.md, 13:34Z), so one pass can miss a target the code meets and meet one it misses. A
 * pass runs the baseline and then the product within minutes, so the ratio of one pass is the fair
 * comparison; the median pass of each scenario is taken whole (its baseline, product and ratio stay
 * consistent) rather than a median of each figure on its own. N should be odd; with an even N the
 * lower middle is taken.
 */
type Scenario = 'selftest' | 'storm' | 'fanout' | 'small' | 'maxrate' | 'stream' | 'heap' | 'cluster' | 'storage' | 'history';

/** The figure each scenario's pass is ranked by (undefined: the scenario did not run in that pass). */
const rankBy: Record<Scenario, (r: Report) => number | undefined> = {
  selftest: (r) => r.selftest?.framesPerCpuSecond,
  storm: (r) => over(r.storm.product?.totalMs, r.storm.baseline?.totalMs),
  fanout: (r) => over(r.fanout.product?.serverCpuUsPerComment, r.fanout.baseline?.serverCpuUsPerComment),
  small: (r) => over(r.small.product?.serverCpuUsPerComment, r.small.baseline?.serverCpuUsPerComment),
  maxrate: (r) => over(r.maxrate.product?.maxPerSecond, r.maxrate.baseline?.maxPerSecond),
  stream: (r) => over(r.stream.product?.serverCpuUsPerComment, r.stream.baseline?.serverCpuUsPerComment),
  heap: (r) => over(heapAndRss(r, 'product'), heapAndRss(r, 'baseline')),
  cluster: (r) => r.cluster?.serverCpuUsPerComment,
  storage: (r) => r.storage?.commentsPerSecond,
  history: (r) => r.history?.page.p99,
};

/** product ÷ baseline; the product's own figure when the pass ran no baseline (`--targets=product`). */
function over(p: number | undefined, b: number | undefined): number | undefined {
  if (p === undefined) return undefined;
  return b ? p / b : p;
}

function heapAndRss(r: Report, kind: 'baseline' | 'product'): number | undefined {
  const x = r.heap[kind];
  return x && x.perConnection.heapUsed + x.perConnection.rss;
}

/** Index of the pass holding the median of `values` (ignoring passes where the scenario did not run). */
export function medianIndex(values: (number | undefined)[]): number | undefined {
  const ran = values.flatMap((v, i) => (v === undefined || Number.isNaN(v) ? [] : [{ v, i }]));
  if (ran.length === 0) return undefined;
  ran.sort((a, b) => a.v - b.v);
  return ran[Math.floor((ran.length - 1) / 2)]!.i;
}

export interface MedianReport {
  report: Report;
  /** Per scenario: each pass's ranking figure (a product ÷ baseline ratio where there is a baseline) and the pass chosen. */
  passes: Partial<Record<Scenario, { values: (number | null)[]; chosen: number }>>;
}

/** One report made of each scenario's median pass (see the module comment). */
export function medianOfPasses(reports: Report[]): MedianReport {
  const first = reports[0];
  if (!first) throw new Error('no passes to take the median of');
  const report: Report = structuredClone(first);
  const passes: MedianReport['passes'] = {};
  for (const scenario of Object.keys(rankBy) as Scenario[]) {
    const values = reports.map(rankBy[scenario]);
    const chosen = medianIndex(values);
    if (chosen === undefined) continue;
    passes[scenario] = { values: values.map((v) => (v === undefined ? null : Math.round(v * 1000) / 1000)), chosen };
    const from = reports[chosen]!;
    // Taken whole: stream's and heap's stored ratios are the chosen pass's own.
    Object.assign(report, { [scenario]: structuredClone(from[scenario]) });
    // The window-off fan-out is read against its own pass's fan-out (the window's added latency).
    if (scenario === 'fanout') report.windowOff = structuredClone(from.windowOff);
  }
  return { report, passes };
}
