import { expect } from 'vitest';
import type { FaultCluster } from './cluster.ts';
import type { ScenarioResult } from './scenario.ts';

/**
 * What every scenario promises once the fault is over: nothing acknowledged is lost or stored twice,
 * every comment the users typed was eventually acknowledged, every user holds every seq after resuming,
 * and no instance crashed or logged an escaped error.
 */
export function expectNothingLost(r: ScenarioResult, cluster: FaultCluster): void {
  expect(r.figures.acked, `the load made progress (join failures: ${JSON.stringify(r.joinFailures)})`).toBeGreaterThan(0);
  expect(r.figures.lost, 'acknowledged comments missing from the database').toBe(0);
  expect(r.figures.duplicates, 'comments stored twice or acked with two seqs').toBe(0);
  expect(r.ackMismatches).toEqual([]);
  expect(r.rejected, 'comments refused for good').toEqual({});
  expect({ drained: r.drained, pending: r.pending }, 'every comment acknowledged after recovery').toEqual({ drained: true, pending: 0 });
  expect(r.figures.unackedStored, 'stored comments never acknowledged').toBe(0);
  expect({ gaps: r.figures.gaps, skipped: r.skipped, behind: r.behind }, 'seq gaps at clients after resuming').toEqual({ gaps: 0, skipped: 0, behind: 0 });
  expect(cluster.failures(), 'crashes and escaped errors').toEqual([]);
}
