import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): private Redis and PostgreSQL, two instances under load, one
 * fault at a time. Files run one after another: each owns a cluster, and the machine has few cores.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
