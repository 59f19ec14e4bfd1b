import type { Runtime } from './app.ts';

/**
 * The running application, shared with Next's route handlers and server components. Next bundles its
 * own copy of every module it imports, so the one instance built by server/index.ts is handed over
 * through globalThis (and only types are imported from the server here).
 */
interface RuntimeGlobal {
  __liveroomRuntime?: Runtime;
}

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as RuntimeGlobal).__liveroomRuntime = runtime;
}

export function getRuntime(): Runtime {
  const rt = (globalThis as RuntimeGlobal).__liveroomRuntime;
  if (!rt) throw new Error('The live-room runtime is not running: start the app with server/index.ts (npm run dev / npm start).');
  return rt;
}
