import { describe, expect, it } from 'vitest';
import { medianIndex, medianOfPasses } from '../../bench/lib/median.ts';
import type { Report } from '../../bench/report.ts';
import type { StepResult } from '../../bench/scenarios/broadcast.ts';

const latency = (p99: number) => ({ p50: p99 / 2, p99, max: p99 * 2 }) as StepResult['latency'];

function stepOf(cpu: number, p99: number): StepResult {
  return { serverCpuUsPerComment: cpu, latency: latency(p99), deliveryRatio: 1 } as StepResult;
}

function pass(tag: string, fanout: [number, number], storage: number, windowOffP99: number): Report {
  return {
    startedAt: tag,
    mode: 'full',
    machine: { nproc: 2, model: 'test', memGb: 1, node: 'v20' },
    scale: {},
    selftest: null,
    storm: {},
    fanout: { baseline: stepOf(fanout[0], 40), product: stepOf(fanout[1], 70) },
    small: {},
    maxrate: {},
    windowOff: stepOf(1_000, windowOffP99),
    cluster: null,
    storage: { commentsPerSecond: storage } as Report['storage'],
    history: null,
    stream: {},
    heap: {},
  } as Report;
}

describe('bench --repeat median', () => {
  it('finds the median pass, skipping passes where the scenario did not run', () => {
    expect(medianIndex([3, 1, 2])).toBe(2);
    expect(medianIndex([undefined, 5, undefined])).toBe(1);
    expect(medianIndex([4, 1, 3, 2])).toBe(3); // even: the lower middle
    expect(medianIndex([undefined, undefined])).toBeUndefined();
  });

  it('takes each scenario from its own median pass, keeping baseline, product and window-off together', () => {
    const passes = [
      pass('a', [1_000, 600], 9_000, 41), // fan-out 0.6×
      pass('b', [1_400, 560], 12_000, 42), // 0.4×
      pass('c', [1_200, 600], 10_500, 43), // 0.5×: the median
    ];
    const { report, passes: chosen } = medianOfPasses(passes);
    expect(report.fanout.baseline?.serverCpuUsPerComment).toBe(1_200);
    expect(report.fanout.product?.serverCpuUsPerComment).toBe(600);
    expect(report.windowOff?.latency.p99).toBe(43);
    expect(chosen.fanout).toEqual({ values: [0.6, 0.4, 0.5], chosen: 2 });
    // Storage's median pass is another one.
    expect(report.storage?.commentsPerSecond).toBe(10_500);
    expect(chosen.storage?.chosen).toBe(2);
    expect(medianOfPasses([passes[0]!, passes[1]!, pass('d', [1_000, 900], 10_000, 44)]).report.storage?.commentsPerSecond).toBe(10_000);
    // The passes themselves are not modified.
    expect(passes[0]!.fanout.product?.serverCpuUsPerComment).toBe(600);
  });
});
