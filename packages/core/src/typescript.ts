/**
 * TypeScript task modules in workers (threads and processes). Node 20 cannot import a `.ts`
 * file by itself: the first time a worker meets a TypeScript module, it registers a loader
 * (tsx, an optional peer dependency of the backends), which also maps the `.js` specifiers that
 * TypeScript sources use (`./tasks.js` for `tasks.ts`). Node >= 22.18 strips types itself.
 *
 * The logic lives here once; a backend supplies what needs Node or a package: how to test that
 * a file exists and how to register the loader.
 */

const TS_MODULE = /\.(c|m)?tsx?($|\?)/;
const JS_MODULE = /\.(c|m)?js($|\?)/;

/** What a backend supplies to {@link typeScriptImports}. */
export interface TypeScriptImportOptions {
  /** True when the file at this `file:` URL exists. */
  readonly exists: (url: string) => boolean;
  /** Registers the TypeScript loader in this thread or process (e.g. tsx's `register()`); rejects when it is not installed. */
  readonly register: () => Promise<unknown>;
  /** True when this Node.js strips types by itself (`process.features.typescript`). */
  readonly nodeStripsTypes: () => boolean;
}

/**
 * Returns a `beforeImport` hook for `runTaskBatch`: for a `.ts` module, or a `.js` URL naming a
 * `.ts` file beside it, it registers the loader once (later calls await the same registration);
 * for JavaScript modules it does nothing. If the loader cannot be registered and Node cannot
 * strip types, the import fails with an error that says what to install.
 */
export function typeScriptImports(options: TypeScriptImportOptions): (module: string) => Promise<void> | undefined {
  let registering: Promise<void> | undefined;
  const checked = new Set<string>();

  const namesTypeScriptFile = (module: string): boolean => {
    if (!module.startsWith('file:') || !JS_MODULE.test(module)) return false;
    const url = module.replace(/\?.*$/, '');
    if (options.exists(url)) return false;
    return ['.ts', '.mts', '.cts'].some((ext) => options.exists(url.replace(/\.(c|m)?js$/, ext)));
  };

  const register = async (module: string): Promise<void> => {
    try {
      await options.register();
    } catch (error) {
      if (options.nodeStripsTypes()) return; // Node loads it by itself
      registering = undefined;
      throw new Error(
        `task module ${module} is TypeScript, which Node ${nodeVersion()} cannot load in a worker by itself: ` +
          `install tsx (npm install --save-dev tsx) and it is used automatically, run Node >= 22.18, ` +
          `or point the task reference at the compiled .js file`,
        { cause: error },
      );
    }
  };

  return (module) => {
    if (registering !== undefined) return registering;
    if (TS_MODULE.test(module) || (!checked.has(module) && namesTypeScriptFile(module))) {
      registering = register(module);
      return registering;
    }
    checked.add(module);
    return undefined;
  };
}

function nodeVersion(): string {
  return (globalThis as { process?: { version?: string } }).process?.version ?? '(unknown version)';
}
