/**
 * Last-resort cleanup: child processes and temporary folders are released in afterAll, but a worker that
 * dies or is interrupted must not leave a private PostgreSQL or Redis behind. Only synchronous work
 * runs in an 'exit' handler, so every registered step is synchronous.
 */
const steps = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const step of [...steps].reverse()) {
    try {
      step();
    } catch {
      // Best effort: one failed step must not keep the others from running.
    }
  }
  steps.clear();
}

/** Registers a synchronous cleanup step; the returned function unregisters it (once done normally). */
export function onProcessExit(step: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(130);
      });
    }
  }
  steps.add(step);
  return () => steps.delete(step);
}
