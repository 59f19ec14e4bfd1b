import type { Logger } from './logger.ts';

/**
 * Runs each hot path once before the instance takes its first socket. A cold instance otherwise pays,
 * under its first load, for opening pool connections, Prisma compiling each query shape and V8
 * compiling the handlers: the acks of its first seconds were 3–8 s at p99 against < 1 s when warm.
 * A step that fails is logged and skipped: warm-up speeds the start, it never blocks it.
 */
export async function warmUp(log: Logger, steps: Record<string, () => Promise<unknown>>): Promise<void> {
  const started = performance.now();
  const failed: string[] = [];
  await Promise.all(
    Object.entries(steps).map(([name, run]) =>
      run().catch((err: unknown) => {
        failed.push(name);
        log.warn({ step: name, err: (err as Error).message }, 'warm-up step failed');
      }),
    ),
  );
  log.info({ ms: Math.round(performance.now() - started), failed }, 'warmed up');
}
