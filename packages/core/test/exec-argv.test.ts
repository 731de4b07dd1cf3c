import { describe, expect, it } from 'vitest';
import { inheritableExecArgv } from '../src/index.js';

describe('inheritableExecArgv', () => {
  it('keeps ordinary Node options', () => {
    const argv = ['--enable-source-maps', '--conditions=dev', '--max-old-space-size=512', '--require', './setup.cjs', '--import=./otel.mjs'];
    expect(inheritableExecArgv(argv)).toEqual(argv);
  });

  it('drops the parent script (-e, -p, --input-type) with its value, in both spellings', () => {
    expect(inheritableExecArgv(['--input-type', 'module', '-e', 'new Pool()', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(inheritableExecArgv(['--input-type=module', '--eval=run()', '-p', '1+1'])).toEqual([]);
  });

  it('drops test-runner, watch and debugger flags', () => {
    expect(inheritableExecArgv(['--test', '--test-reporter', 'spec', '--watch', '--watch-path', 'src', '--inspect=9229', '--inspect-brk', '--trace-warnings'])).toEqual(['--trace-warnings']);
  });

  it('drops loaders that load tsx, keeps other loaders', () => {
    expect(
      inheritableExecArgv(['--require', '/app/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///app/node_modules/tsx/dist/loader.mjs', '--import=tsx', '--loader', './my-loader.mjs']),
    ).toEqual(['--loader', './my-loader.mjs']);
  });
});
