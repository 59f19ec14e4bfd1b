import type { WebRuntime } from './web-runtime.ts';

/**
 * The running server's facade for Next's route handlers and server components. Next bundles its own
 * copy of every module it imports, so the one instance built by server/index.ts is handed over through
 * globalThis (and only types are imported from the server here).
 */
interface RuntimeGlobal {
  __liveroomRuntime?: WebRuntime;
}

export function setRuntime(runtime: WebRuntime | undefined): void {
  (globalThis as RuntimeGlobal).__liveroomRuntime = runtime;
}

export function getRuntime(): WebRuntime {
  const rt = (globalThis as RuntimeGlobal).__liveroomRuntime;
  if (!rt) throw new Error('The live-room runtime is not running: start the app with server/index.ts (npm run dev / npm start).');
  return rt;
}
