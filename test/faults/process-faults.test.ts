import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireServiceBinaries } from './support/binaries.ts';
import { FaultCluster } from './support/cluster.ts';
import { expectNothingLost } from './support/expectations.ts';
import { runLoadScenario, sleep } from './support/scenario.ts';

/** An instance dies under load, without goodbye or with one; its users move to the other and back. */
const bins = requireServiceBinaries();

describe.skipIf(!bins)('an instance dies under load', () => {
  let cluster: FaultCluster | undefined;
  beforeAll(async () => {
    cluster = await FaultCluster.start(bins!);
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('kill -9: nothing acknowledged is lost, nothing doubled, no gaps', async () => {
    const c = cluster!;
    const r = await runLoadScenario(c, {
      scenario: 'kill -9 an instance',
      retry: 'backoff',
      fault: async () => {
        await c.kill(0, 'SIGKILL');
        const killedAt = Date.now();
        await sleep(2_000);
        await c.restart(0);
        return killedAt;
      },
    });
    expectNothingLost(r, c);
  });

  it('SIGTERM: the instance drains, its users resume elsewhere', async () => {
    const c = cluster!;
    const r = await runLoadScenario(c, {
      scenario: 'SIGTERM an instance',
      retry: 'backoff',
      fault: async () => {
        const stopping = c.kill(1, 'SIGTERM');
        const signalledAt = Date.now();
        await stopping;
        await c.restart(1);
        return signalledAt;
      },
    });
    expectNothingLost(r, c);
  });
});
