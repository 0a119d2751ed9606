// CLI tests spawn real processes and git: they need more than vitest's 5 s default.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Displayed times are local; tests pin the zone so that expected text is fixed.
    env: { TZ: 'UTC' },
  },
});
