/**
 * TypeScript task modules in worker threads. The first time a thread meets a `.ts`/`.mts`/`.cts`
 * module it registers tsx's loader (an optional peer dependency), which also maps the `.js`
 * specifiers TypeScript code imports to their `.ts` files. Without tsx, Node >= 22.18's own type
 * stripping is used (imports must then name `.ts` files).
 */

const TS_MODULE = /\.(c|m)?tsx?($|\?)/;
let registering: Promise<void> | undefined;

/** Makes sure `module` can be imported here; a no-op for JavaScript modules. */
export function prepareImport(module: string): Promise<void> | undefined {
  if (!TS_MODULE.test(module)) return undefined;
  registering ??= registerLoader(module);
  return registering;
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
