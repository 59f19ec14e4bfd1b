/**
 * Starts the production server the e2e specs run against, and stops it after the run.
 *
 * Why not Playwright's `webServer`: it needs the URL before the server exists, so the port would have to
 * be chosen up front (a fixed one collides when two runs share a machine; a "free" one probed in the
 * config can be taken by someone else before the server binds it). Here the server binds port 0 itself,
 * so the system hands out a port nobody holds, and says which one (`LISTENING <url>`, see
 * test/support/spawn-instance.ts). The URL goes to E2E_BASE_URL in this (the runner's) process before any
 * test worker starts; workers inherit the runner's environment and evaluate playwright.config.ts again,
 * where `use.baseURL` reads it. Each run's database is a fresh temporary folder, removed at the end.
 */
import { spawnInstance } from '../../test/support/spawn-instance';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await spawnInstance(
    {
      // Extra settings come from the environment, as for `npm run serve`.
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The first admin, created on start (e2e/moderation.spec.ts signs in with it).
      ADMIN_LOGIN: 'e2e-admin',
      ADMIN_PASSWORD: 'e2e-admin-password',
      // Free ports only, whatever the environment says: GatewayWorker's register would otherwise take 1238
      // (spawnInstance picks the main port itself).
      GW_REGISTER_PORT: '0',
      GW_INNER_PORT: '0',
      GW_WS_PORT: undefined,
    },
    { onOutput: (chunk) => process.stdout.write(chunk.replace(/^(?=.)/gm, '[e2e server] ')) },
  );
  process.env.E2E_BASE_URL = server.url;
  return () => server.stop();
}
