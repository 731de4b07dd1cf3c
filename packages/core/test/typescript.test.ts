import { describe, expect, it } from 'vitest';
import { typeScriptImports } from '../src/index.js';

function setup(files: string[], opts: { fails?: boolean; strips?: boolean } = {}) {
  const registered: number[] = [];
  const hook = typeScriptImports({
    exists: (url) => files.includes(url),
    register: async () => {
      registered.push(1);
      if (opts.fails) throw new Error("Cannot find package 'tsx'");
    },
    nodeStripsTypes: () => opts.strips ?? false,
  });
  return { hook, registered };
}

describe('typeScriptImports', () => {
  it('does nothing for JavaScript modules', () => {
    const { hook, registered } = setup(['file:///app/tasks.js']);
    expect(hook('file:///app/tasks.js')).toBeUndefined();
    expect(hook('file:///app/tasks.js')).toBeUndefined();
    expect(hook('node:os')).toBeUndefined();
    expect(registered).toEqual([]);
  });

  it('registers the loader once for a .ts module, and every later import waits for it', async () => {
    const { hook, registered } = setup([]);
    const first = hook('file:///app/tasks.ts');
    expect(first).toBeInstanceOf(Promise);
    await first;
    await hook('file:///app/other.mts?x=1');
    expect(registered).toEqual([1]);
  });

  it('treats a .js URL naming a .ts file beside it (as TypeScript sources import) as TypeScript', async () => {
    const { hook, registered } = setup(['file:///app/tasks.ts']);
    await hook('file:///app/tasks.js');
    expect(registered).toEqual([1]);
  });

  it('fails with what to install when the loader is missing and Node cannot strip types; tries again next time', async () => {
    const { hook, registered } = setup([], { fails: true });
    await expect(hook('file:///app/tasks.ts')).rejects.toThrow(/task module file:\/\/\/app\/tasks\.ts is TypeScript, .*install tsx/);
    await expect(hook('file:///app/tasks.ts')).rejects.toThrow(/install tsx/);
    expect(registered).toEqual([1, 1]);
  });

  it('leaves TypeScript to Node when the loader is missing but Node strips types', async () => {
    const { hook } = setup([], { fails: true, strips: true });
    await expect(hook('file:///app/tasks.ts')).resolves.toBeUndefined();
  });
});
