/**
 * TypeScript task modules in worker threads. The first time a thread meets a `.ts`/`.mts`/`.cts`
 * module it registers tsx's loader (an optional peer dependency), which also maps the `.js`
 * specifiers TypeScript code imports to their `.ts` files. Without tsx, Node >= 22.18's own type
 * stripping is used (imports must then name `.ts` files).
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TS_MODULE = /\.(c|m)?tsx?($|\?)/;
const JS_MODULE = /\.(c|m)?js($|\?)/;
let registering: Promise<void> | undefined;
const checked = new Set<string>();

/**
 * Makes sure `module` can be imported here: a `.ts` module, or a `.js` URL that names a `.ts`
 * file the way TypeScript sources import each other (`./tasks.js` for `tasks.ts`), registers
 * the TypeScript loader first. A no-op for JavaScript modules.
 */
export function prepareImport(module: string): Promise<void> | undefined {
  if (registering !== undefined) return registering;
  if (TS_MODULE.test(module) || (!checked.has(module) && namesTypeScriptFile(module))) {
    registering = registerLoader(module);
    return registering;
  }
  checked.add(module);
  return undefined;
}

/** `file:///x/tasks.js` when there is no tasks.js but a tasks.ts (or .mts/.cts) beside it. */
function namesTypeScriptFile(module: string): boolean {
  if (!module.startsWith('file:') || !JS_MODULE.test(module)) return false;
  const path = fileURLToPath(module.replace(/\?.*$/, ''));
  if (existsSync(path)) return false;
  return ['.ts', '.mts', '.cts'].some((ext) => existsSync(path.replace(/\.(c|m)?js$/, ext)));
}

function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

async function registerLoader(module: string): Promise<void> {
  let api: { register: () => unknown };
  try {
    api = (await import('tsx/esm/api')) as { register: () => unknown };
  } catch (error) {
    if (nodeStripsTypes()) return; // Node loads it by itself
    registering = undefined;
    throw new Error(
      `task module ${module} is TypeScript, which Node ${process.version} cannot load in a worker by itself: ` +
        `install tsx (npm install --save-dev tsx) and it is used automatically, run Node >= 22.18, ` +
        `or point the task reference at the compiled .js file`,
      { cause: error },
    );
  }
  api.register();
}
