/**
 * `futures <command> [args]`: dispatches to a subcommand module, loaded lazily, and turns
 * usage errors into exit code 2 with a pointer to `--help`.
 */
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CommandIO } from './command.js';
import { COMMANDS } from './commands.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((name) => name.length));
  return `Usage: futures <command> [options]

Recipes of @futures (Python's concurrent.futures for Node.js), on every core.

Commands:
${names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary}`).join('\n')}

Options:
  -h, --help     this text (futures <command> --help for a command's own)
  -v, --version  the version

Exit status: 0 done, 1 some items failed, 2 bad usage, 130 interrupted.
`;
}

/** Runs `futures` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.stderr.write(`futures: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')} (see futures --help)\n`);
    return EXIT.usage;
  }
  try {
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) {
      io.stderr.write(`futures ${name}: ${error.message}\nTry: futures ${name} --help\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
