/**
 * Where a pool child starts: the built `child.js`, or, when the engine itself runs from the
 * TypeScript sources (this repository's tests), `child.ts` under tsx with the `@futures/source`
 * export condition, so that the child resolves @futures packages to their sources too.
 */
import { fileURLToPath } from 'node:url';

/** Running from the TypeScript sources (tests): children then load the sources too. */
const SOURCE_MODE = import.meta.url.endsWith('.ts');

/** Absolute path of the child entry module. */
export function childEntry(): string {
  return fileURLToPath(new URL(SOURCE_MODE ? './child.ts' : './child.js', import.meta.url));
}

/**
 * The children's Node options: the user's `execArgv`, or the parent's minus what must not be
 * repeated in a child (tsx loader flags: a child registers tsx itself when it meets a TypeScript
 * task module; debugger flags: the port would clash). In source mode, tsx and the source
 * condition come first.
 */
export function childExecArgv(userExecArgv: readonly string[] | undefined): string[] {
  const base = userExecArgv === undefined ? inheritedExecArgv() : [...userExecArgv];
  if (!SOURCE_MODE) return base;
  return ['--import', import.meta.resolve('tsx'), '--conditions=@futures/source', ...base];
}

/** Flags of the parent's command line that must not run again in a child (the script, a REPL, a test runner, a watcher). */
const NOT_INHERITED = /^(-e|--eval|-p|--print|-i|--interactive|-c|--check|--input-type|--test|--test-.*|--watch|--watch-path|--watch-preserve-output|--inspect|--inspect-brk|--inspect-port|--inspect-wait|--debug-port)(=|$)/;
/** Of those, the ones whose value is the next argument when written without `=`. */
const TAKES_VALUE = /^(-e|--eval|-p|--print|--input-type|--watch-path|--inspect-port|--debug-port|--test-.*)$/;
/** Loader flags; the ones that load tsx are left out. */
const LOADER = /^(-r|--require|--import|--loader|--experimental-loader)$/;

function inheritedExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (NOT_INHERITED.test(arg)) {
      if (TAKES_VALUE.test(arg)) i++;
      continue;
    }
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (LOADER.test(name)) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[i + 1] ?? '');
      if (/(^|[\\/])tsx([\\/]|$)/.test(value)) {
        if (!arg.includes('=')) i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}
