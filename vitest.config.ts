// CLI tests run real git (and, in the process-level files, real processes): they need more than
// vitest's 5 s default.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One file per core: vitest's default (cores - 1) leaves one of two cores idle while tests
    // wait on git (docs/decisions.md, "A test suite that runs in minutes").
    maxWorkers: Math.max(availableParallelism(), 2),
    // Displayed times are local; tests pin the zone so that expected text is fixed.
    env: { TZ: 'UTC' },
  },
});
