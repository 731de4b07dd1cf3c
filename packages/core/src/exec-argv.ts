/**
 * Which of the parent's Node options a worker (thread or child process) should start with. A
 * worker must not run the parent's script again (`-e`, `-p`, `--input-type`), nor its test
 * runner, watcher or debugger (the port would clash), and need not load tsx at start-up: a
 * worker registers it itself when it meets a TypeScript task module (`typeScriptImports`).
 * Plain string work: the backend passes `process.execArgv`.
 */

/** Flags that must not run again in a worker. */
const NOT_INHERITED = /^(-e|--eval|-p|--print|-i|--interactive|-c|--check|--input-type|--test|--test-.*|--watch|--watch-path|--watch-preserve-output|--inspect|--inspect-brk|--inspect-port|--inspect-wait|--debug-port)(=|$)/;
/** Of those, the ones whose value is the next argument when written without `=`. */
const TAKES_VALUE = /^(-e|--eval|-p|--print|--input-type|--watch-path|--inspect-port|--debug-port|--test-.*)$/;
/** Loader flags: the ones that load tsx are left out. */
const LOADER = /^(-r|--require|--import|--loader|--experimental-loader)$/;
const TSX = /(^|[\\/])tsx([\\/]|$)/;

/**
 * `execArgv` (a parent's `process.execArgv`) without the script, REPL, test-runner, watch and
 * debugger flags, and without the loader flags that load tsx.
 *
 * @example
 * inheritableExecArgv(['--enable-source-maps', '--require', '/app/node_modules/tsx/dist/preflight.cjs', '-e', 'run()'])
 * // ['--enable-source-maps']
 */
export function inheritableExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (NOT_INHERITED.test(arg)) {
      if (TAKES_VALUE.test(arg)) i++;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (LOADER.test(name)) {
      const value = eq === -1 ? (execArgv[i + 1] ?? '') : arg.slice(eq + 1);
      if (TSX.test(value)) {
        if (eq === -1) i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}
