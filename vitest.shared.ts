import { defineConfig } from 'vitest/config';

/**
 * Shared by every package: tests run against the TypeScript sources (through the
 * `@futures/source` export condition), so no build is needed first.
 */
export default defineConfig({
  resolve: { conditions: ['@futures/source'] },
  ssr: { resolve: { conditions: ['@futures/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
