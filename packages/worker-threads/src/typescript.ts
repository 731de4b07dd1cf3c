/**
 * TypeScript task modules in worker threads: core's `typeScriptImports` with Node's file
 * system and tsx (an optional peer dependency) as the loader. Without tsx, Node >= 22.18's own
 * type stripping is used (imports must then name `.ts` files).
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { typeScriptImports } from '@futures/core/worker';

/** Makes sure a task module can be imported in this thread (registers tsx for TypeScript modules). */
export const prepareImport = typeScriptImports({
  exists: (url) => existsSync(fileURLToPath(url)),
  register: async () => ((await import('tsx/esm/api')) as { register: () => unknown }).register(),
  nodeStripsTypes: () => Boolean((process.features as { typescript?: unknown }).typescript),
});
