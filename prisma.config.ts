import { defineConfig } from 'prisma/config';

// The CLI is only used for `prisma generate` (offline); migrations go through scripts/db-migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
