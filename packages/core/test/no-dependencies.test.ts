import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** @futures/core must stay dependency-free: users install it with any backend, nothing else comes along. */

const packageRoot = new URL('../', import.meta.url);
const srcDir = new URL('src/', packageRoot);

function sourceFiles(dir: URL): URL[] {
  const files: URL[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) files.push(...sourceFiles(new URL(`${entry.name}/`, dir)));
    else if (entry.name.endsWith('.ts')) files.push(new URL(entry.name, dir));
  }
  return files;
}

/** Every module specifier in `code`: static imports and re-exports, side-effect imports, literal dynamic imports, require calls. */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('@futures/core has no runtime dependencies', () => {
  it('package.json declares no dependencies of any kind that would be installed with it', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('@futures/core');
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(pkg[field], field).toBeUndefined();
    }
  });

  it('every import in src is relative to src (./name.js), not a package or a node: builtin', () => {
    const files = sourceFiles(srcDir);
    expect(files.length).toBeGreaterThan(5);
    let total = 0;
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const specifier of specifiers(code)) {
        total++;
        expect(specifier, `${file.pathname.slice(srcDir.pathname.length)} imports ${specifier}`).toMatch(/^\.\/[\w.-]+\.js$/);
      }
      expect(code, 'no require()').not.toMatch(/\brequire\s*\(/);
    }
    expect(total).toBeGreaterThan(10); // the scanner does find the imports
  });

  it('the scanner catches the kinds of import it must reject', () => {
    expect(specifiers(`import { x } from 'lodash';\nimport type { Y } from "node:events";\nexport * from './a.js';\nimport 'side-effect';\nconst m = await import('pkg');`)).toEqual([
      'lodash',
      'node:events',
      './a.js',
      'side-effect',
      'pkg',
    ]);
  });
});
