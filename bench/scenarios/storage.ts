import type { ClientPool } from '../client/pool.ts';
import { countMessages } from '../lib/db.ts';
import { cpuDelta, postgresCpu, sleep } from '../lib/proc.ts';
import { setupRooms } from './broadcast.ts';
import type { Target } from './targets.ts';

/**
 * Storage throughput: every member of R small rooms keeps `inFlight` comments outstanding for the
 * duration; a comment counts once its ack (sent after the insert commits) arrives, and the figure is
 * checked against COUNT(*) in PostgreSQL. Every stored comment must also reach every room member.
 */
export async function storage(pool: ClientPool, target: Target, dbUrl: string, o: { rooms: number; members: number; inFlight: number; durationMs: number }) {
  const layout = await setupRooms(pool, target, { tag: 'st', rooms: o.rooms, members: o.members, senders: o.members, firstIdx: 2_000_000 });
  // Warm-up, not measured: users get their rows, per-user caches fill, the JIT settles.
  await pool.send(layout.senderList, { kind: 'window', inFlight: 1 }, 1_000, `stw${Date.now().toString(36)}`);
  // The warm-up's last room frames may still be in their broadcast window (BROADCAST_WINDOW_MS): let
  // them arrive before counting starts, or their marks would be read as this run's.
  await sleep(500);
  await pool.arm(Object.fromEntries(layout.roomIds.map((r) => [r, o.members])), 100_000);
  const stored0 = await countMessages(dbUrl, 'st-');
  const cpu0 = target.cpu();
  const pg0 = target.dbName ? postgresCpu(target.dbName) : new Map<number, number>();
  const t0 = performance.now();
  const sent = await pool.send(layout.senderList, { kind: 'window', inFlight: o.inFlight }, o.durationMs, `st${Date.now().toString(36)}`);
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = target.cpu();
  const pg1 = target.dbName ? postgresCpu(target.dbName) : new Map<number, number>();
  const pgCpu = cpuDelta(pg0, pg1);
  const acked = Object.values(sent.ackedByRoom).reduce((a, b) => a + b, 0);
  const expected = Object.values(sent.ackedByRoom).reduce((a, n) => a + n * o.members, 0);
  let stats = await pool.stats();
  for (let i = 0; i < 150 && stats.unique < expected; i++) {
    await sleep(20);
    stats = await pool.stats();
  }
  await sleep(200);
  stats = await pool.stats();
  const stored = (await countMessages(dbUrl, 'st-')) - stored0;
  await pool.closeClients();
  return {
    rooms: o.rooms,
    senders: layout.senderList.length,
    inFlightPerSender: o.inFlight,
    seconds: Math.round(seconds * 100) / 100,
    acked,
    stored,
    failed: sent.failedByCode,
    commentsPerSecond: Math.round(acked / seconds),
    ackLatency: sent.ackLatency.summary(),
    serverCpuUsPerComment: acked ? Math.round((cpu1 - cpu0) / acked) : 0,
    postgresCpuUsPerComment: acked ? Math.round(pgCpu / acked) : 0,
    /** Share of the machine's cores busy in the server and in PostgreSQL during the run. */
    serverCores: Math.round(((cpu1 - cpu0) / 1e6 / seconds) * 100) / 100,
    postgresCores: Math.round((pgCpu / 1e6 / seconds) * 100) / 100,
    deliveryRatio: expected === 0 ? 0 : stats.duplicates > 0 || stats.stray > 0 ? -1 : stats.unique / expected,
  };
}
