import type { ClientPool } from '../client/pool.ts';
import { seedHistory } from '../lib/db.ts';
import type { Target } from './targets.ts';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0) * 100) / 100;
};

/**
 * A room with `rows` comments (seeded in one INSERT … SELECT): p50/p99 of a 50-comment history page at a
 * random depth, and of a join that replays the 1000 comments after lastSeq (REPLAY_CAP=1000 for the bench).
 */
export async function history(pool: ClientPool, target: Target, dbUrl: string, o: { rows: number; pages: number; replays: number }) {
  const roomId = 'hist-big';
  const seedStarted = performance.now();
  await seedHistory(dbUrl, roomId, o.rows);
  const seedMs = performance.now() - seedStarted;
  const idx = 3_000_000;
  await pool.connect([{ idx, room: roomId, token: await target.token(idx), url: target.servers[0]!.url }], 1);
  await pool.join([{ idx, room: roomId }], 1);

  const pageFrames = Array.from({ length: o.pages }, () =>
    JSON.stringify(['history', { roomId, beforeSeq: 1_000 + Math.floor(Math.random() * (o.rows - 1_000)), limit: 50 }]),
  );
  const pages = await pool.requests(idx, pageFrames, '"type":"say"');
  const replayFrames: string[] = [];
  for (let i = 0; i < o.replays; i++) {
    replayFrames.push(JSON.stringify(['leave', { roomId }]), JSON.stringify(['join', { roomId, lastSeq: o.rows - 1_000 }]));
  }
  const replays = (await pool.requests(idx, replayFrames, '"type":"say"')).filter((_, i) => i % 2 === 1);
  await pool.closeClients();

  const bad = [...pages.filter((p) => !p.ok || p.markers !== 50), ...replays.filter((r) => !r.ok || r.markers !== 1_000)];
  if (bad.length) throw new Error(`history: ${bad.length} wrong replies, first: ${JSON.stringify(bad[0]).slice(0, 400)}`);
  const pageMs = pages.map((p) => p.ms);
  const replayMs = replays.map((r) => r.ms);
  return {
    rows: o.rows,
    seedSeconds: Math.round(seedMs / 100) / 10,
    page: { count: pageMs.length, p50: quantile(pageMs, 0.5), p99: quantile(pageMs, 0.99), max: quantile(pageMs, 1) },
    replay1000: { count: replayMs.length, p50: quantile(replayMs, 0.5), p99: quantile(replayMs, 0.99), max: quantile(replayMs, 1), bytes: replays[0]?.bytes ?? 0 },
  };
}
