/**
 * @futures/cli: the `futures` command. The programmatic entry runs it with given arguments and
 * streams (what the executable does with the process's own).
 *
 * @packageDocumentation
 */
export { main } from './main.js';
export { COMMANDS } from './commands.js';
export { EXIT, UsageError, type CommandEntry, type CommandIO, type CommandModule } from './command.js';
