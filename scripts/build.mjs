#!/usr/bin/env node
// Builds the package: ESM, CJS and the script-tag IIFE with Vite, one bundled type
// declaration file for `import` (.d.ts) and one for `require` (.d.cts) consumers, the audio
// worklet and the Worker as files of their own for sites whose CSP forbids `blob:`
// (docs/csp.md), and the React entry `@useathos/sdk/react` (ESM, CJS and its declarations),
// which imports the main entry and React instead of bundling either.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { build, rolldown } from 'rolldown';

/**
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  execFileSync(command, args, { stdio: 'inherit' });
}

/**
 * One bundled declaration file for `entry`, written to `out` (for `import`) and to the same
 * name with `.d.cts` (for `require`).
 * @param {string} entry
 * @param {string} out
 * @param {string} project the tsconfig to compile with
 */
function declarations(entry, out, project) {
  run('npx', [
    'dts-bundle-generator',
    '--silent',
    '--no-check',
    '--export-referenced-types',
    'false',
    '--project',
    project,
    '-o',
    out,
    entry,
  ]);
  copyFileSync(out, out.replace(/\.d\.ts$/, '.d.cts'));
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
declarations('src/index.ts', 'dist/index.d.ts', 'tsconfig.build.json');
/** @type {Array<{ input: string, file: string, format: 'esm' | 'iife' }>} */
const scripts = [
  { input: 'src/media/worklet/entry.ts', file: 'dist/athos-worklet.js', format: 'esm' },
  { input: 'src/worker/entry.ts', file: 'dist/athos-worker.js', format: 'iife' },
];
for (const { input, file, format } of scripts) {
  await build({ input, platform: 'browser', transform: { target: 'es2022' }, output: { file, format, minify: true } });
}

// The React entry. Both of its imports stay imports: React is the app's, and the SDK must be
// the one copy the app itself imports (one RoleplaySession class, one AthosRoleplayError).
const react = await rolldown({
  input: 'src/react/index.ts',
  platform: 'browser',
  external: ['react', '@useathos/sdk'],
  transform: { target: 'es2022' },
});
await react.write({ file: 'dist/react.mjs', format: 'esm', sourcemap: true });
await react.write({ file: 'dist/react.cjs', format: 'cjs', sourcemap: true });
await react.close();
// dts-bundle-generator inlines every declaration it finds outside node_modules. For the React
// entry, `@useathos/sdk` must stay an import, so it is mapped to a copy of the main entry's
// declarations placed under node_modules, where it counts as a library.
const scratch = 'node_modules/.cache/athos-build';
mkdirSync(scratch, { recursive: true });
copyFileSync('dist/index.d.ts', `${scratch}/sdk.d.ts`);
writeFileSync(
  `${scratch}/tsconfig.react.json`,
  JSON.stringify({
    extends: '../../../tsconfig.build.json',
    compilerOptions: { paths: { '@useathos/sdk': ['./sdk.d.ts'] } },
    include: ['../../../src/react'],
  }),
);
declarations('src/react/index.ts', 'dist/react.d.ts', `${scratch}/tsconfig.react.json`);
console.log('built dist/');
