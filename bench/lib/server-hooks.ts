/**
 * Bench-only commands for a server process under test, read line by line from its stdin (the launcher
 * in proc.ts pipes it); each is answered with one `BENCH-REPLY <id> <json>` line on stdout.
 *
 * - `mem <id>`: a compacting full GC (the launcher passes --expose-gc), then, one second later,
 *   process.memoryUsage() and each V8 heap space's committed and used bytes. Compacting, because a
 *   plain gc() frees dead objects but keeps the half-empty old-space pages a burst of joins leaves
 *   behind, and those pages are RSS: the heap scenario's "before" reading follows a heap snapshot (which
 *   compacts), so its "after" reading must compact too or it counts the burst's fragmentation as the
 *   connections' cost (bench/README.md, change 31). V8 compacts an idle server the same way on its own
 *   (its memory reducer). The second lets V8's background unmapper hand the freed pages back first.
 * - `heap <id> <file>`: v8.writeHeapSnapshot(file) (V8 collects garbage before it walks the heap),
 *   then process.memoryUsage(). The event loop is blocked meanwhile, as with --heapsnapshot-signal.
 * - `prof-start <id>` / `prof-stop <id> <file>`: a CPU profile of just the window between them (the
 *   inspector's Profiler), written as a .cpuprofile: `--profile-window` profiles each measured step
 *   without the start-up and set-up that `--profile` (--cpu-prof) mixes in.
 *
 * Installed by bench/baseline/server.ts and bench/product/server.ts; nothing in server/ knows about it.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import readline from 'node:readline';
import v8 from 'node:v8';

export function installBenchHooks(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const reply = (id: string, data: unknown) => process.stdout.write(`BENCH-REPLY ${id} ${JSON.stringify(data)}\n`);
  let session: inspector.Session | undefined;
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    const [cmd, id = '0', ...rest] = line.trim().split(' ');
    try {
      if (cmd === 'mem') {
        // Bench-only: V8 reads this flag at each full GC, so it applies to this one collection.
        v8.setFlagsFromString('--compact-on-every-full-gc');
        gc?.();
        v8.setFlagsFromString('--no-compact-on-every-full-gc');
        setTimeout(() => {
          const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, { size: x.space_size, used: x.space_used_size }]));
          reply(id, { ok: true, memory: process.memoryUsage(), spaces });
        }, 1_000);
      } else if (cmd === 'heap') {
        const started = performance.now();
        const file = v8.writeHeapSnapshot(rest.join(' '));
        reply(id, { ok: true, file, ms: Math.round(performance.now() - started), memory: process.memoryUsage() });
      } else if (cmd === 'prof-start') {
        session ??= new inspector.Session();
        const s = session;
        s.connect();
        s.post('Profiler.enable', () => s.post('Profiler.start', () => reply(id, { ok: true })));
      } else if (cmd === 'prof-stop' && session) {
        const s = session;
        s.post('Profiler.stop', (err, result) => {
          if (err) return reply(id, { ok: false, error: err.message });
          fs.writeFileSync(rest.join(' '), JSON.stringify(result.profile));
          s.disconnect();
          session = undefined;
          reply(id, { ok: true, file: rest.join(' ') });
        });
      } else if (cmd) {
        reply(id, { ok: false, error: `unknown bench command ${cmd}` });
      }
    } catch (err) {
      reply(id, { ok: false, error: (err as Error).message });
    }
  });
  // The bench going away closes stdin: that neither ends the server nor matters to it.
  lines.on('close', () => {});
}
