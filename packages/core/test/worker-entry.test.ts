import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import * as worker from '../src/worker.js';

/**
 * `@futures/core/worker` is what worker threads and child processes import: it exists so that
 * they do not load the executor side of core at start-up. Its module graph must stay free of it.
 */

const srcDir = new URL('../src/', import.meta.url);

/**
 * The modules a module loads at run time (type-only imports and exports left out). Only static
 * imports at the start of a line: no-dependencies.test's scanner also counts specifiers in
 * comments and dynamic imports (it must reject any package name), which a graph walk cannot follow.
 */
function runtimeImports(name: string): string[] {
  const code = readFileSync(new URL(name, srcDir), 'utf8');
  const found: string[] = [];
  for (const match of code.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s*'(\.\/[\w.-]+)\.js'/gm)) found.push(`${match[1]}.ts`);
  for (const match of code.matchAll(/^import\s*'(\.\/[\w.-]+)\.js'/gm)) found.push(`${match[1]}.ts`);
  return found;
}

/** Every module `entry` loads, itself included. */
function graph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const next of runtimeImports(name)) visit(next);
  };
  visit(entry);
  return seen;
}

describe('@futures/core/worker', () => {
  it('loads none of the executor side: no executor, future, map, wait or events module', () => {
    const modules = graph('./worker.ts');
    expect(modules.has('./protocol.ts')).toBe(true); // the walk does follow the imports
    for (const heavy of ['./executor.ts', './future.ts', './map.ts', './wait.ts', './events.ts', './index.ts']) expect(modules, heavy).not.toContain(heavy);
    // while the package's main entry does load them
    expect(graph('./index.ts')).toContain('./executor.ts');
  });

  it('exports the very same functions and classes as @futures/core', () => {
    const names = Object.keys(worker);
    expect(names.sort()).toEqual(['TimeoutError', 'batchLength', 'deserializeError', 'groupOutcomes', 'runTaskBatch', 'serializeError', 'typeScriptImports']);
    for (const name of names) expect(worker[name as keyof typeof worker], name).toBe(core[name as keyof typeof core]);
  });
});
