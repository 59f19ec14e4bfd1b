/**
 * `npm run bench` — every scenario against the baseline (bare Socket.IO, the seed's flow) and the
 * product (auth, validation, PostgreSQL storage), in one go; a table on stdout and a JSON file under
 * bench/results/. `--quick` runs a tiny configuration (used by `npm test`): it asserts that every
 * delivery ratio is exactly 1.0 and never asserts a time. `--profile` writes .cpuprofile files of the
 * server processes to bench/results/profiles/. `--only=a,b` runs some scenarios (selftest, storm,
 * fanout, windowoff, small, maxrate, stream, cluster, storage, history, heap); `--repeat=N` runs N passes and
 * reports each scenario's median pass (bench/lib/median.ts); `--targets=product` skips the baseline (for profiling); `--product-env=K=V,…` passes settings to the product.
 * `stream` (one room of 5,000) and `heap` (heap snapshots of 5,000 idle connections) are not in --quick.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ClientPool } from './client/pool.ts';
import { createBenchDatabase } from './lib/db.ts';
import { requireService } from '../test/support/services.ts';
import { benchDir, machine, openFileLimit, sleep } from './lib/proc.ts';
import { maxRate, setupRooms, step, type StepResult } from './scenarios/broadcast.ts';
import { clientSelfTest } from './scenarios/client-selftest.ts';
import { history } from './scenarios/history.ts';
import { heap, heapDir } from './scenarios/heap.ts';
import { joinStorm } from './scenarios/join-storm.ts';
import { storage } from './scenarios/storage.ts';
import { stream } from './scenarios/stream.ts';
import { startBaseline, startProduct, type Target } from './scenarios/targets.ts';
import { addRatios, deliveryFailures, printPasses, printReport, type Report } from './report.ts';
import { medianOfPasses } from './lib/median.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
/** `--profile-window`: profile each broadcast step's measured window only (bench/results/profiles/window/). */
if (args.includes('--profile-window')) {
  process.env.BENCH_PROFILE_WINDOW = path.join(benchDir, 'results', 'profiles', 'window');
  fs.mkdirSync(process.env.BENCH_PROFILE_WINDOW, { recursive: true });
}
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (name: string) => !only || only.includes(name);
const targets = args.find((a) => a.startsWith('--targets='))?.slice(10).split(',') ?? ['baseline', 'product'];
/** `--product-env=WRITE_BATCH_MAX=512,WRITE_CONCURRENCY=2`: product settings for experiments. */
const productEnv = Object.fromEntries(
  (args.find((a) => a.startsWith('--product-env='))?.slice(14).split(',') ?? []).filter(Boolean).map((kv) => {
    // Split at the first '=' only: a value may hold one (NODE_OPTIONS=--max-semi-space-size=32).
    const at = kv.indexOf('=');
    if (at < 1) throw new Error(`--product-env: "${kv}" is not KEY=VALUE`);
    return [kv.slice(0, at), kv.slice(at + 1)] as [string, string];
  }),
);
/** `--clients=N`: members of the stream room and idle clients of the heap scenario (default 5,000), for experiments. */
const clientsArg = Number(args.find((a) => a.startsWith('--clients='))?.slice(10) ?? 0);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
// 0 (default): every server takes a free port, so two runs on one machine never collide.
const PRODUCT_PORT = Number(process.env.BENCH_PRODUCT_PORT ?? 0);
const BASELINE_PORT = Number(process.env.BENCH_BASELINE_PORT ?? 0);

const scale = quick
  ? {
      settleMs: 300,
      warmUpMs: 300,
      jitWarmUp: null,
      selftest: { clients: 4, durationMs: 1_000 },
      storm: { clients: 200, rooms: 4, concurrency: 100, idleMs: 500 },
      fanout: { rooms: 3, members: 20, senders: 2, rate: 100, durationMs: 1_500 },
      small: { rooms: 10, members: 4, senders: 1, rate: 100, durationMs: 1_500 },
      maxrate: null,
      cluster: { rooms: 2, members: 10, senders: 2, rate: 50, durationMs: 1_500 },
      storage: { rooms: 4, members: 3, inFlight: 4, durationMs: 1_500 },
      history: { rows: 5_000, pages: 20, replays: 5 },
      // Not in the quick run (npm test): 5,000 connections take minutes on 2 cores.
      stream: null,
      heap: null,
    }
  : {
      settleMs: 1_500,
      warmUpMs: 1_000,
      jitWarmUp: { rooms: 10, members: 20, senders: 2, rate: 500, durationMs: 15_000 },
      selftest: { clients: 10, durationMs: 3_000 },
      storm: { clients: 5_000, rooms: 10, concurrency: 500, idleMs: 3_000 },
      fanout: { rooms: 10, members: 100, senders: 2, rate: 500, durationMs: 8_000 },
      small: { rooms: 100, members: 10, senders: 1, rate: 500, durationMs: 8_000 },
      maxrate: { rooms: 10, members: 100, senders: 2, start: 100, limit: 20_000, durationMs: 3_000, p99Ms: 100 },
      cluster: { rooms: 10, members: 100, senders: 2, rate: 500, durationMs: 8_000 },
      storage: { rooms: 20, members: 5, inFlight: 16, durationMs: 5_000 },
      history: { rows: 1_000_000, pages: 300, replays: 30 },
      stream: { members: clientsArg || 5_000, senders: 10, rate: 50, durationMs: 8_000, concurrency: 200, settleMs: 1_500 },
      heap: { clients: clientsArg || 5_000, rooms: 1, warmup: 500, concurrency: 200 },
    };

const profileDir = profile ? path.join(benchDir, 'results', 'profiles') : undefined;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** `--repeat=N`: N passes, each scenario reported from its median pass (bench/lib/median.ts). */
const repeat = Math.max(1, Number(args.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 1));

function newReport(): Report {
  return {
    startedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    scale,
    selftest: null,
    storm: {},
    fanout: {},
    small: {},
    maxrate: {},
    windowOff: null,
    cluster: null,
    storage: null,
    history: null,
    stream: {},
    heap: {},
  };
}

async function broadcastScenario(pool: ClientPool, target: Target, tag: string, s: { rooms: number; members: number; senders: number; rate: number; durationMs: number }, firstIdx: number): Promise<StepResult> {
  const layout = await setupRooms(pool, target, { tag, rooms: s.rooms, members: s.members, senders: s.senders, firstIdx });
  await sleep(scale.settleMs); // join notices and presence settle before the measured window
  // Warm-up, not measured, as in the max-rate and storage scenarios: the new rooms' and senders' first
  // comments (the rules' first loads, the author rows) are start-up costs, not a comment's. Both targets
  // get it (bench/README.md, "Round 9"); the JIT's own warm-up is warmJit's.
  if (scale.warmUpMs > 0) {
    await step(pool, target, layout, s.rate, scale.warmUpMs, `${tag}-warm${Date.now().toString(36)}`);
    await sleep(scale.settleMs);
  }
  const r = await step(pool, target, layout, s.rate, s.durationMs, `${tag}${Date.now().toString(36)}`);
  await pool.closeClients();
  await sleep(scale.settleMs / 3);
  return r;
}

/**
 * Brings a fresh server's JIT to its steady state before its broadcast, storage and history scenarios (the
 * join storm, defined on a fresh server, runs before it): comments on a small fan-out layout
 * for `jitWarmUp.durationMs`, not measured. V8 optimises the long tail of a comment's path (the handler,
 * the store, pg's parsing, the frame writes) only after thousands of calls, on its worker threads: after the
 * scenarios' own 1 s warm-up, TurboFan still compiled ~80 functions for the first time during the fan-out's
 * measured window, ~12 % of the product's CPU there (perf, --trace-opt; bench/README.md, "Round 9"). A live
 * room's server has been up for hours; both targets get the same warm-up. Not in --quick.
 */
async function warmJit(pool: ClientPool, target: Target): Promise<void> {
  const w = scale.jitWarmUp;
  if (!w) return;
  log(`${target.label}: JIT warm-up, ${w.rooms}×${w.members} @${w.rate}/s for ${w.durationMs / 1000} s (not measured)`);
  const r = await broadcastScenario(pool, target, 'jw', w, 50_000);
  // Not measured, but delivery is exact everywhere: a loss here is a finding, not noise.
  if (r.deliveryRatio !== 1) throw new Error(`${target.label}: JIT warm-up delivery ratio ${r.deliveryRatio} (expected exactly 1)`);
}

/** One pass over the chosen scenarios: the baseline's, then the product's, then heap and cluster. */
async function runPass(report: Report, dbUrl: string, pool: ClientPool, track: (t: Target) => Target, running: Target[]): Promise<void> {
  if (want('selftest')) {
    log('client self-test');
    report.selftest = await clientSelfTest({ port: BASELINE_PORT === 0 ? 0 : BASELINE_PORT + 99, ...scale.selftest });
  }
  // Scenarios measured after the JIT warm-up; storage and history are the product's alone.
  const warmed = ['fanout', 'small', 'maxrate', 'stream'];
  const productOnly = ['storage', 'history'];
  for (const kind of ['baseline', 'product'] as const) {
    if (!['storm', ...warmed, ...productOnly].some(want)) break;
    if (!targets.includes(kind)) continue;
    const target = track(
      kind === 'baseline'
        ? await startBaseline({ basePort: BASELINE_PORT, profileDir })
        : await startProduct({ basePort: PRODUCT_PORT, profileDir, dbUrl, instances: 1, env: productEnv }),
    );
    if (want('storm')) {
      // First, on the fresh server, as the scenario is defined: a stream starting right after a deploy.
      log(`${kind}: join storm ${scale.storm.clients} clients`);
      report.storm[kind] = await joinStorm(pool, target, scale.storm);
    }
    if ([...warmed, ...(kind === 'product' ? productOnly : [])].some(want)) await warmJit(pool, target);
    if (want('fanout')) {
      log(`${kind}: fan-out ${scale.fanout.rooms}×${scale.fanout.members}`);
      report.fanout[kind] = await broadcastScenario(pool, target, 'fo', scale.fanout, 0);
    }
    if (want('small')) {
      log(`${kind}: small rooms ${scale.small.rooms}×${scale.small.members}`);
      report.small[kind] = await broadcastScenario(pool, target, 'sr', scale.small, 10_000);
    }
    if (want('maxrate') && scale.maxrate) {
      const m = scale.maxrate;
      log(`${kind}: max rate fan-out ${m.rooms}×${m.members}`);
      const layout = await setupRooms(pool, target, { tag: 'mr', rooms: m.rooms, members: m.members, senders: m.senders, firstIdx: 20_000 });
      await sleep(scale.settleMs);
      report.maxrate[kind] = await maxRate(pool, target, layout, m);
      await pool.closeClients();
    }
    if (want('stream') && scale.stream) {
      log(`${kind}: stream, one room of ${scale.stream.members} @${scale.stream.rate}/s`);
      report.stream[kind] = await stream(pool, target, scale.stream);
    }
    if (kind === 'product' && want('storage')) {
      log('product: storage throughput');
      report.storage = await storage(pool, target, dbUrl, scale.storage);
    }
    if (kind === 'product' && want('history')) {
      log(`product: history at ${scale.history.rows} comments`);
      report.history = await history(pool, target, dbUrl, scale.history);
    }
    await target.stop();
    running.pop();
    await sleep(500);
  }
  if (want('windowoff') && !quick && targets.includes('product')) {
    // The same fan-out with the broadcast window off: what the window adds to latency, and the
    // product's p99 without it, measured minutes from the baseline's.
    log('product: fan-out with BROADCAST_WINDOW_MS=0');
    const target = track(await startProduct({ basePort: PRODUCT_PORT, profileDir, dbUrl, instances: 1, env: { ...productEnv, BROADCAST_WINDOW_MS: '0' } }));
    await warmJit(pool, target);
    report.windowOff = await broadcastScenario(pool, target, 'fw', scale.fanout, 30_000);
    await target.stop();
    running.pop();
  }
  if (want('heap') && scale.heap) {
    // Snapshots of earlier runs (hundreds of MB each) make way for this run's.
    if (fs.existsSync(heapDir)) for (const f of fs.readdirSync(heapDir)) if (f.endsWith('.heapsnapshot')) fs.rmSync(path.join(heapDir, f));
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    for (const kind of ['baseline', 'product'] as const) {
      if (!targets.includes(kind)) continue;
      // A fresh server each: the "before" snapshot must not carry earlier scenarios' leftovers.
      const target = track(
        kind === 'baseline'
          ? await startBaseline({ basePort: BASELINE_PORT, profileDir })
          : await startProduct({ basePort: PRODUCT_PORT, profileDir, dbUrl, instances: 1, env: productEnv }),
      );
      log(`${kind}: heap per idle connection, ${scale.heap.clients} clients`);
      report.heap[kind] = await heap(pool, target, scale.heap, stamp);
      await target.stop();
      running.pop();
    }
  }
  if (want('cluster')) {
    log('product ×2 with redis: fan-out');
    const target = track(await startProduct({ basePort: PRODUCT_PORT === 0 ? 0 : PRODUCT_PORT + 10, profileDir, dbUrl, instances: 2, redisUrl: REDIS_URL, env: productEnv }));
    await warmJit(pool, target);
    report.cluster = await broadcastScenario(pool, target, 'cl', scale.cluster, 40_000);
    await target.stop();
    running.pop();
  }
}

async function main(): Promise<void> {
  // A stuck scenario must fail the run (npm test), not hang it.
  setTimeout(() => {
    console.error(`bench: no result after ${quick ? 3 : 25 * repeat} minutes; giving up`);
    process.exit(1);
  }, (quick ? 3 : 25 * repeat) * 60_000).unref();
  // The product runs on PostgreSQL (and Redis for two instances): without them there is nothing to
  // compare. Skip loudly on a machine that lacks them; under CI=true requireService throws instead.
  const services = [await requireService('postgresql'), await requireService('redis')];
  if (services.includes(false)) return;
  // The server holds every client's socket (the two load workers half each), plus its database and
  // log descriptors: 5,000 clients need more than the common default of 1,024.
  const mostClients = Math.max(
    want('storm') ? scale.storm.clients : 0,
    want('stream') && scale.stream ? scale.stream.members : 0,
    want('heap') && scale.heap ? scale.heap.clients + scale.heap.warmup : 0,
  );
  if (openFileLimit() < mostClients + 1_000) {
    throw new Error(`ulimit -n is ${openFileLimit()}; ${mostClients} clients need at least ${mostClients + 1_000} (run \`ulimit -n 20000\` first)`);
  }
  const db = await createBenchDatabase();
  const pool = new ClientPool(2);
  const running: Target[] = [];
  const track = (t: Target) => (running.push(t), t);
  const reports: Report[] = [];
  try {
    for (let pass = 1; pass <= repeat; pass++) {
      if (repeat > 1) log(`pass ${pass} of ${repeat}`);
      const report = newReport();
      await runPass(report, db.url, pool, track, running);
      addRatios(report);
      reports.push(report);
    }
  } finally {
    await Promise.all(running.map((t) => t.stop()));
    await pool.stop();
    await db.drop().catch((err: Error) => log(`could not drop ${db.url}: ${err.message}`));
  }

  const { report, passes } = repeat > 1 ? medianOfPasses(reports) : { report: reports[0]!, passes: undefined };
  addRatios(report);
  printReport(report);
  if (passes) printPasses(passes);
  // A delivery failure in any pass fails the run, not only in the passes the headline took.
  const failures = reports.flatMap((r, i) => deliveryFailures(r).map((f) => (reports.length > 1 ? `pass ${i + 1}, ${f}` : f)));
  if (!quick) {
    const file = path.join(benchDir, 'results', `${report.startedAt.replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(passes ? { ...report, medianOf: reports.length, passes, runs: reports } : report, null, 2));
    log(`results: ${path.relative(process.cwd(), file)}`);
  }
  if (failures.length) {
    console.error(`\nDELIVERY FAILED:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
