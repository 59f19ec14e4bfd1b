import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServiceBinaries } from './support/binaries.ts';
import { FaultCluster } from './support/cluster.ts';
import { expectNothingLost } from './support/expectations.ts';
import { runLoadScenario, sleep } from './support/scenario.ts';

/** The cluster's services go away for 10 s under load and come back on the same port. */
const bins = requireServiceBinaries();
const OUTAGE_MS = 10_000;

describe.skipIf(!bins)('Redis and PostgreSQL outages under load', () => {
  let cluster: FaultCluster | undefined;
  beforeAll(async () => {
    cluster = await FaultCluster.start(bins!);
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('Redis down for 10 s: instances keep serving their own users, then resync', async () => {
    const c = cluster!;
    const r = await runLoadScenario(c, {
      scenario: 'Redis down 10 s',
      retry: 'backoff',
      fault: async () => {
        await c.redis.stop();
        await sleep(OUTAGE_MS);
        await c.redis.start();
        return Date.now();
      },
    });
    expectNothingLost(r, c);
    expect(r.resyncs, 'users told to resync once Redis was back').toBeGreaterThan(0);
  });

  it('PostgreSQL down for 10 s, clients retrying at fixed intervals: acks resume within 5 s', async () => {
    const c = cluster!;
    const r = await runLoadScenario(c, {
      scenario: 'PostgreSQL down 10 s (fixed retries)',
      retry: 'fixed',
      fault: async () => {
        await c.postgres.stop();
        await sleep(OUTAGE_MS);
        await c.postgres.start();
        return Date.now();
      },
    });
    expectNothingLost(r, c);
    // The database is the cause of every refusal here: the documented code is `unavailable`, never `internal`.
    expect(r.figures.failures.internal ?? 0, 'acks coded internal while PostgreSQL was away').toBe(0);
    expect(r.figures.failures.unavailable ?? 0).toBeGreaterThan(0);
    expect(r.firstAckAfterMs, 'first ack after PostgreSQL returned (ms)').not.toBeNull();
    expect(r.firstAckAfterMs!).toBeLessThanOrEqual(5_000);
    expect(r.figures.recoveryMs, 'acks back at half the pre-fault rate (ms)').not.toBeNull();
    expect(r.figures.recoveryMs!).toBeLessThanOrEqual(5_000);
  });
});
