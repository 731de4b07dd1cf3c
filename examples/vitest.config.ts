import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// The shared config resolves @futures/* to their TypeScript sources (the `@futures/source`
// condition), so the tests need no build; `pnpm demo` and `npx tsx` use the built dist.
export default mergeConfig(shared, defineConfig({ test: { include: ['test/**/*.test.ts'] } }));
