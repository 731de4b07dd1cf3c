#!/usr/bin/env node
/**
 * The `futures` executable. Ctrl-C (SIGINT) or SIGTERM asks the running command to stop
 * cleanly; a second one exits at once (temporary files of images in progress are removed on
 * exit).
 */
import type { CommandIO } from './command.js';
import { main } from './main.js';

const listeners = new Set<() => void>();
let interrupts = 0;
const onSignal = (): void => {
  interrupts++;
  if (interrupts > 1 || listeners.size === 0) process.exit(130);
  for (const listener of listeners) listener();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const io: CommandIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (error) {
  process.stderr.write(`futures: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
