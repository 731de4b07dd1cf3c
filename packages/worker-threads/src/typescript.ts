/**
 * TypeScript task modules in worker threads. Node 22.18+ strips types by itself; on older
 * versions the worker registers tsx's loader (an optional peer dependency) the first time it
 * meets a `.ts`/`.mts`/`.cts` module.
 */

const TS_MODULE = /\.(c|m)?tsx?($|\?)/;
let registering: Promise<void> | undefined;

/** Makes sure `module` can be imported here; a no-op for JavaScript modules. */
export function prepareImport(module: string): Promise<void> | undefined {
  if (!TS_MODULE.test(module) || nodeStripsTypes()) return undefined;
  registering ??= registerTsx(module);
  return registering;
}

function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

async function registerTsx(module: string): Promise<void> {
  let api: { register: () => unknown };
  try {
    api = (await import('tsx/esm/api')) as { register: () => unknown };
  } catch (error) {
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
