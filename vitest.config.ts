import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/static/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests share one private keychain; each uses its own service name.
    pool: 'forks',
    // Vitest's default is one less than the cores: one file at a time on a 2-core machine, where
    // most test time is waiting (HTTP, the keychain, child processes). Two files at a time took
    // the tier from 13 to under 5 minutes there.
    maxWorkers: Math.max(2, availableParallelism()),
    // Enabled by `npm test` (--coverage); merged with the Playwright tiers by scripts/coverage-report.mjs.
    coverage: {
      provider: 'v8',
      include: ['main/**/*.ts', 'preload/**/*.ts', 'shared/**/*.ts'],
      reporter: ['json'],
      reportsDirectory: 'test-results/coverage/vitest',
      reportOnFailure: true,
    },
  },
});
