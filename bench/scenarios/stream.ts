import type { ClientPool } from '../client/pool.ts';
import { sleep } from '../lib/proc.ts';
import { setupRooms, step, waitQuiet, type StepResult } from './broadcast.ts';
import type { Target } from './targets.ts';

export interface StreamOptions {
  /** Members of the one room (every one receives every comment, its sender included). */
  members: number;
  /** Distinct commenters (the first members); the offered rate is spread evenly over them. */
  senders: number;
  /** Comments per second offered in total. */
  rate: number;
  durationMs: number;
  /** Connects and joins in flight during set-up. */
  concurrency: number;
  settleMs: number;
}

export interface StreamResult extends StepResult {
  members: number;
  senders: number;
  connectMs: number;
  joinMs: number;
  /** Server CPU over connect + join of every member, per member (µs). */
  joinCpuUsPerMember: number;
  /** Wait after the last join until no frame arrived for 1 s (presence/notices of the set-up). */
  settleWaitMs: number;
  rssMb: number;
}

/**
 * A popular stream: ONE room of `members` connections, `rate` comments/s offered by `senders` of them for
 * `durationMs`; every comment is one frame to each of the members. Same measurement as the other
 * broadcast scenarios (bench/scenarios/broadcast.ts `step`): exact delivery ratio, send → receive latency,
 * server CPU over [first send, last expected frame] ÷ acked comments.
 */
export async function stream(pool: ClientPool, target: Target, o: StreamOptions): Promise<StreamResult> {
  const cpu0 = target.cpu();
  const layout = await setupRooms(
    pool,
    target,
    { tag: 'st', rooms: 1, members: o.members, senders: o.senders, firstIdx: 60_000, quietJoins: true },
    o.concurrency,
  );
  const joinCpu = target.cpu() - cpu0;
  // Presence and coalesced join notices of the set-up go to all members: let them drain first.
  const settleWaitMs = await waitQuiet(pool, 1_000, 120_000);
  await sleep(o.settleMs);
  const rssMb = Math.round(target.rss() / 2 ** 20);
  const r = await step(pool, target, layout, o.rate, o.durationMs, `st${Date.now().toString(36)}`);
  await pool.closeClients();
  await sleep(o.settleMs);
  return {
    ...r,
    members: o.members,
    senders: o.senders,
    connectMs: Math.round(layout.connectMs),
    joinMs: Math.round(layout.joinMs),
    joinCpuUsPerMember: Math.round(joinCpu / o.members),
    settleWaitMs,
    rssMb,
  };
}
