import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/spawn-instance.ts';

/** One scenario's row of the figures table (docs/reliability.md explains each column). */
export interface ScenarioFigures {
  scenario: string;
  /** Comments acknowledged to their sender. */
  acked: number;
  /** Comments in the database for the scenario's room. */
  stored: number;
  /** Acknowledged comments missing from the database, or stored under another seq. */
  lost: number;
  /** clientMsgIds stored more than once, or acked with two different seqs. */
  duplicates: number;
  /** Sequence numbers a user never received after resuming, summed over users. */
  gaps: number;
  /** Stored comments whose sender never got an ack although it kept retrying. */
  unackedStored: number;
  /** From the end of the fault until acks ran at half the pre-fault rate again (null: no load in this scenario). */
  recoveryMs: number | null;
  /** Highest resident memory of any instance during the scenario. */
  peakRssMb: number;
  /** Sends including retries, and error acks by code (`timeout`: no ack in time). */
  sends: number;
  failures: Record<string, number>;
}

/** Where the suite leaves its figures (gitignored); docs/reliability.md carries a copy of the table. */
export const FIGURES_DIR = path.join(REPO_ROOT, 'test-results', 'faults');

export function writeFigures(f: ScenarioFigures): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const slug = f.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  fs.writeFileSync(path.join(FIGURES_DIR, `${slug}.json`), `${JSON.stringify({ ...f, at: new Date().toISOString() }, null, 2)}\n`);
}

export function readAllFigures(): ScenarioFigures[] {
  if (!fs.existsSync(FIGURES_DIR)) return [];
  return fs
    .readdirSync(FIGURES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'figures.json')
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, f), 'utf8')) as ScenarioFigures & { at: string })
    .sort((a, b) => a.at.localeCompare(b.at));
}

export function formatTable(rows: ScenarioFigures[]): string {
  const head = '| scenario | acked | stored | lost | duplicates | gaps | recovery (ms) | peak RSS (MB) |\n|---|--:|--:|--:|--:|--:|--:|--:|';
  const lines = rows.map(
    (r) => `| ${r.scenario} | ${r.acked} | ${r.stored} | ${r.lost} | ${r.duplicates} | ${r.gaps} | ${r.recoveryMs ?? '–'} | ${r.peakRssMb.toFixed(0)} |`,
  );
  return [head, ...lines].join('\n');
}

/**
 * Time from `from` until the acks of a sliding second reach half of `baselinePerSecond`: how long the
 * users waited for the cluster to serve them at a useful rate again.
 */
export function recoveryMs(ackTimes: number[], from: number, baselinePerSecond: number): number | null {
  const target = Math.max(1, Math.ceil(baselinePerSecond / 2));
  const after = ackTimes.filter((t) => t >= from).sort((a, b) => a - b);
  for (let i = target - 1; i < after.length; i++) {
    const end = after[i] ?? 0;
    const start = after[i - target + 1] ?? 0;
    if (end - start <= 1_000) return Math.max(0, end - from);
  }
  return null;
}

/** Samples every instance's RSS every 250 ms and keeps the highest. */
export function sampleRss(read: () => number[]): { peakMb(): number; stop(): void } {
  let peak = Math.max(0, ...read());
  const timer = setInterval(() => (peak = Math.max(peak, ...read())), 250);
  return { peakMb: () => peak, stop: () => clearInterval(timer) };
}
