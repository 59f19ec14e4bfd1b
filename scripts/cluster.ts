// `npm run start:cluster [-- N]`: N instances of the production server on one machine, on ports
// PORT..PORT+N-1 (default 3000 and 2 instances, or CLUSTER_SIZE), sharing one PostgreSQL and one Redis.
// Needs `npm run build` first. SIGINT/SIGTERM are forwarded so every instance drains and says goodbye;
// an instance that dies on its own is restarted after a second.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const size = Number(process.argv[2] ?? process.env.CLUSTER_SIZE ?? 2);
const basePort = Number(process.env.PORT ?? 3000);

const missing = ['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'].filter((k) => !process.env[k]);
if (missing.length) {
  console.error(
    `start:cluster: set ${missing.join(', ')}. Every instance must use the same PostgreSQL (DATABASE_URL), ` +
      'the same Redis (REDIS_URL) and the same SESSION_SECRET (32+ characters); the embedded database cannot be shared.',
  );
  process.exit(78);
}
if (!Number.isInteger(size) || size < 1 || size > 64) {
  console.error('start:cluster: the instance count must be an integer from 1 to 64');
  process.exit(64);
}
if (!fs.existsSync(path.join(root, '.next/BUILD_ID'))) {
  console.error('start:cluster: no production build; run `npm run build` first');
  process.exit(1);
}

let stopping = false;
const children = new Map<number, ChildProcess>();

function start(port: number): void {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), INSTANCE_ID: process.env.INSTANCE_ID ? `${process.env.INSTANCE_ID}-${port}` : undefined },
    stdio: 'inherit',
  });
  children.set(port, child);
  child.once('exit', (code, signal) => {
    children.delete(port);
    if (stopping) {
      if (children.size === 0) process.exit(0);
      return;
    }
    console.error(`start:cluster: instance on port ${port} exited (${code ?? signal}); restarting in 1 s`);
    setTimeout(() => start(port), 1_000);
  });
}

for (let i = 0; i < size; i++) start(basePort + i);
console.log(`start:cluster: ${size} instance(s) on ports ${basePort}..${basePort + size - 1}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill(signal);
    if (children.size === 0) process.exit(0);
    // server/index.ts exits within 10 s whatever happens; this is the backstop.
    setTimeout(() => process.exit(1), 15_000).unref();
  });
}
