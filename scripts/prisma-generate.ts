// `npm run db:generate`: `prisma generate` that works offline. The CLI insists on fetching the native
// schema-engine binary before any command unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file;
// generation never runs it, so any harmless non-executable file will do (this script).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= fileURLToPath(import.meta.url);

const child = spawn(path.join(root, 'node_modules', '.bin', 'prisma'), ['generate', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
child.on('error', (err) => {
  console.error(`cannot run prisma: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
