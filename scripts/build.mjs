#!/usr/bin/env node
// Builds the package: ESM, CJS and the script-tag IIFE with Vite, then one bundled type
// declaration file for `import` (.d.ts) and one for `require` (.d.cts) consumers.
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['dts-bundle-generator', '--silent', '--no-check', '--export-referenced-types', 'false', '--project', 'tsconfig.build.json', '-o', 'dist/index.d.ts', 'src/index.ts']);
copyFileSync('dist/index.d.ts', 'dist/index.d.cts');
console.log('built dist/');
