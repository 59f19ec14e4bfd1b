import { randomUUID } from 'node:crypto';
import type { FaultCluster } from './cluster.ts';
import { recoveryMs, sampleRss, writeFigures, type ScenarioFigures } from './figures.ts';
import { LoadClient, type RetryPolicy } from './load-client.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadScenario {
  scenario: string;
  retry: RetryPolicy;
  /** Users on the room, spread over the instances. @default 24 */
  users?: number;
  /**
   * Applies the fault while the load runs and resolves with the moment it ended (the instance gone,
   * the service back), from which recovery is measured.
   */
  fault: (load: LoadClient, roomId: string) => Promise<number>;
}

export interface ScenarioResult {
  figures: ScenarioFigures;
  /** Every comment got its ack before the drain deadline. */
  drained: boolean;
  /** Comments still unacknowledged at the deadline. */
  pending: number;
  /** Numbers users skipped as deleted (nothing is deleted here) and users not caught up to the last seq. */
  skipped: number;
  behind: number;
  ackMismatches: string[];
  rejected: Record<string, number>;
  joinFailures: Record<string, number>;
  resyncs: number;
  /** Acks per second over the two seconds before the fault. */
  baselineRate: number;
  /** The moment the fault ended, and the first ack after it. */
  faultEndedAt: number;
  firstAckAfterMs: number | null;
}

const WARM_UP_MS = 3_000;
const AFTER_FAULT_MS = 5_000;

/**
 * The common shape of a load scenario: a fresh room, the load on it, warm-up, the fault, a few seconds
 * of load after it, then the load stops typing and waits for every comment to be acked; the database and
 * every user's view are compared with what was acked.
 */
export async function runLoadScenario(cluster: FaultCluster, s: LoadScenario): Promise<ScenarioResult> {
  const slug = s.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/^-|-$/g, '');
  const roomId = `faults-${slug}-${Date.now().toString(36)}`;
  await cluster.createRoom(roomId);
  const rss = sampleRss(() => cluster.rssMb());
  const load = await LoadClient.start({
    roomId,
    users: s.users ?? 24,
    urls: () => cluster.urls(),
    token: (i) => cluster.token(randomUUID(), `load${i}`),
    retry: s.retry,
  });
  try {
    await sleep(WARM_UP_MS);
    // A busy shared machine (or a freshly started instance) can be slow to settle: the fault starts once
    // acks run at 40 % of the nominal rate, or after 10 s whatever the rate.
    const nominal = (s.users ?? 24) * 5;
    const settleBy = Date.now() + 7_000;
    while (load.ackRate(1_000) < nominal * 0.4 && Date.now() < settleBy) await sleep(250);
    const baselineRate = load.ackRate(2_000);
    const faultEndedAt = await s.fault(load, roomId);
    await sleep(AFTER_FAULT_MS);
    const drained = await load.drain(30_000);
    const stored = await cluster.storedComments(roomId);
    const lastSeq = stored.at(-1)?.seq ?? 0;
    const { gaps, skipped, behind } = await load.gapsAfterResume(lastSeq, 15_000);

    const { acked, ackTimes } = load.record;
    const bySeqInDb = new Map(stored.map((r) => [r.clientMsgId, r.seq]));
    const lost = [...acked].filter(([id, seq]) => bySeqInDb.get(id) !== seq).length;
    const duplicates = stored.length - bySeqInDb.size + load.record.ackMismatches.length;
    const firstAck = ackTimes.find((t) => t >= faultEndedAt);
    const figures: ScenarioFigures = {
      scenario: s.scenario,
      acked: acked.size,
      stored: stored.length,
      lost,
      duplicates,
      gaps: gaps + skipped,
      unackedStored: stored.filter((r) => !acked.has(r.clientMsgId)).length,
      recoveryMs: recoveryMs(ackTimes, faultEndedAt, baselineRate),
      peakRssMb: Math.round(rss.peakMb()),
      sends: load.record.sends,
      failures: Object.fromEntries(load.record.failures),
    };
    writeFigures(figures);
    console.log(`[faults] ${s.scenario}: ${JSON.stringify({ ...figures, baselineRate, pending: load.pending(), joinFailures: Object.fromEntries(load.record.joinFailures), resyncs: load.record.resyncs })}`);
    return {
      figures,
      drained,
      pending: load.pending(),
      skipped,
      behind,
      ackMismatches: load.record.ackMismatches,
      rejected: Object.fromEntries(load.record.rejected),
      joinFailures: Object.fromEntries(load.record.joinFailures),
      resyncs: load.record.resyncs,
      baselineRate,
      faultEndedAt,
      firstAckAfterMs: firstAck === undefined ? null : firstAck - faultEndedAt,
    };
  } finally {
    load.close();
    rss.stop();
  }
}
