/**
 * Where a pool child starts: the built `child.js`, or, when the engine itself runs from the
 * TypeScript sources (this repository's tests), `child.ts` under tsx with the `@futures/source`
 * export condition, so that the child resolves @futures packages to their sources too.
 */
import { fileURLToPath } from 'node:url';
import { inheritableExecArgv } from '@futures/core';

/** Running from the TypeScript sources (tests): children then load the sources too. */
const SOURCE_MODE = import.meta.url.endsWith('.ts');

/** Absolute path of the child entry module. */
export function childEntry(): string {
  return fileURLToPath(new URL(SOURCE_MODE ? './child.ts' : './child.js', import.meta.url));
}

/**
 * The children's Node options: the user's `execArgv`, or the parent's minus what must not be
 * repeated in a child (core's `inheritableExecArgv`: the parent's script, test runner, watcher,
 * debugger and tsx loader flags). In source mode, tsx and the source condition come first.
 */
export function childExecArgv(userExecArgv: readonly string[] | undefined): string[] {
  const base = userExecArgv === undefined ? inheritableExecArgv(process.execArgv) : [...userExecArgv];
  if (!SOURCE_MODE) return base;
  return ['--import', import.meta.resolve('tsx'), '--conditions=@futures/source', ...base];
}

