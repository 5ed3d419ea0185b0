#!/usr/bin/env node
// Builds the package: ESM, CJS and the script-tag IIFE with Vite, one bundled type
// declaration file for `import` (.d.ts) and one for `require` (.d.cts) consumers, and the
// audio worklet as a file of its own for sites whose CSP forbids `blob:` (docs/csp.md).
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { build } from 'rolldown';

/**
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  execFileSync(command, args, { stdio: 'inherit' });
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', [
  'dts-bundle-generator',
  '--silent',
  '--no-check',
  '--export-referenced-types',
  'false',
  '--project',
  'tsconfig.build.json',
  '-o',
  'dist/index.d.ts',
  'src/index.ts',
]);
copyFileSync('dist/index.d.ts', 'dist/index.d.cts');
await build({
  input: 'src/media/worklet/entry.ts',
  platform: 'browser',
  transform: { target: 'es2022' },
  output: { file: 'dist/athos-worklet.js', format: 'esm', minify: true },
});
console.log('built dist/');
