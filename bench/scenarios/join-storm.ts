import type { ClientPool } from '../client/pool.ts';
import { sleep } from '../lib/proc.ts';
import { setupRooms } from './broadcast.ts';
import type { Target } from './targets.ts';

/**
 * N clients connect and join R rooms with bounded concurrency on a freshly started server; then, idle,
 * the server's RSS per connection (after a forced GC on both sides of the measurement) and idle CPU.
 */
export async function joinStorm(pool: ClientPool, target: Target, o: { clients: number; rooms: number; concurrency: number; idleMs: number }) {
  // Reset the workers' counters: frames received in earlier scenarios must not count as this storm's.
  await pool.arm({}, 1);
  await target.gc();
  const rssBefore = target.rss();
  const layout = await setupRooms(pool, target, { tag: 'js', rooms: o.rooms, members: o.clients / o.rooms, senders: 0, firstIdx: 1_000_000 }, o.concurrency);
  // The storm is the clients' connects and joins. Not the set-up before them: inserting the rooms and
  // minting 5,000 session tokens in the bench process (the product's clients arrive holding a session,
  // as browsers do; the baseline's need none) took 0.6–1 s that was counted against the product alone.
  const totalMs = layout.connectMs + layout.joinMs;
  await sleep(1_500); // let coalesced notices and presence frames go out
  await target.gc();
  const rssAfter = target.rss();
  const cpu0 = target.cpu();
  await sleep(o.idleMs);
  const idleCpuPercent = ((target.cpu() - cpu0) / 1000 / o.idleMs) * 100;
  const stats = await pool.stats();
  await pool.closeClients();
  await sleep(500);
  return {
    clients: o.clients,
    rooms: o.rooms,
    connectMs: Math.round(layout.connectMs),
    joinMs: Math.round(layout.joinMs),
    totalMs: Math.round(totalMs),
    framesReceived: stats.frames,
    rssBeforeMb: Math.round(rssBefore / 2 ** 20),
    rssAfterMb: Math.round(rssAfter / 2 ** 20),
    rssPerConnectionKb: Math.round(((rssAfter - rssBefore) / o.clients / 1024) * 10) / 10,
    idleCpuPercent: Math.round(idleCpuPercent * 10) / 10,
  };
}
