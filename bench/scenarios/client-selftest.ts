import path from 'node:path';
import { ClientPool } from '../client/pool.ts';
import { benchDir, sleep, startServerProcess } from '../lib/proc.ts';

/**
 * Proves the load generator is not the bottleneck: one worker process (one core) receives product-sized
 * `say` frames from a peer that writes pre-encoded frames as fast as TCP drains; reports frames per
 * CPU-second of the receiving process through the same parse path the scenarios use.
 */
export async function clientSelfTest(o: { port: number; clients: number; durationMs: number }) {
  const blaster = await startServerProcess({ name: 'blaster', script: path.join(benchDir, 'client', 'blaster.ts'), env: {}, port: o.port });
  const pool = new ClientPool(1);
  try {
    await pool.connect(Array.from({ length: o.clients }, (_, i) => ({ idx: i, room: 'selftest', url: blaster.url })), o.clients);
    await pool.arm({ selftest: 1 }, 1_000, 'selftest');
    const s0 = await pool.stats();
    const t0 = performance.now();
    await sleep(o.durationMs);
    const s1 = await pool.stats();
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = (s1.cpuMicros - s0.cpuMicros) / 1e6;
    const frames = s1.frames - s0.frames;
    return {
      frames,
      framesPerSecond: Math.round(frames / seconds),
      framesPerCpuSecond: Math.round(frames / cpuSeconds),
      cpuPercent: Math.round((cpuSeconds / seconds) * 100),
      parsed: s1.unique + s1.duplicates - (s0.unique + s0.duplicates),
    };
  } finally {
    await pool.stop();
    await blaster.stop();
  }
}
