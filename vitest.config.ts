import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The fault suite has its own config and command (vitest.faults.config.ts, npm run test:faults).
  test: { include: ['test/**/*.test.ts'], exclude: ['test/faults/**', '**/node_modules/**'], testTimeout: 30000, hookTimeout: 60000, pool: 'forks' },
});
