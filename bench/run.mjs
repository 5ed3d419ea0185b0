#!/usr/bin/env node
/**
 * `npm run bench [-- [--no-build] name…]`: builds the package (unless --no-build), runs the
 * benchmarks (all, or those named) inside a private network namespace, records their figures
 * in bench/results/latest.json and prints them as a Markdown table with the targets beside.
 * Exits non-zero only when a benchmark could not run: a missed target is a finding, not a
 * failure.
 */
import { spawnSync } from 'node:child_process';
import { ensureChromium } from '../scripts/lib/chromium.mjs';
import { enterPrivateNetwork } from './lib/netns.mjs';
import { readResults, recordBench } from './lib/results.mjs';
import { markdownTable } from './lib/table.mjs';

/**
 * In the order they run: `node` ones are bench/NAME.mjs exporting `run()`, `browser` ones
 * Playwright files bench/browser/NAME.bench.ts.
 */
/** @type {Record<string, 'node' | 'browser'>} */
const BENCHES = {
  size: 'node',
  connect: 'browser',
  audio: 'browser',
  'link-loss': 'browser',
  'main-thread': 'browser',
  leaks: 'browser',
  'microphone-switch': 'browser',
  gateway: 'node',
  soak: 'node',
  network: 'browser',
};

const ROOT = new URL('..', import.meta.url).pathname;

const options = process.argv.slice(2);
const build = !options.includes('--no-build');
const requested = options.filter((option) => option !== '--no-build');
const unknown = requested.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}
const names = Object.keys(BENCHES).filter((name) => requested.length === 0 || requested.includes(name));
if (names.some((name) => BENCHES[name] === 'browser')) ensureChromium();

enterPrivateNetwork();

/** @type {(command: string, args: string[]) => boolean} */
const succeeds = (command, args) => spawnSync(command, args, { stdio: 'inherit', cwd: ROOT }).status === 0;

if (build && !succeeds('npm', ['run', '--silent', 'build'])) {
  console.error('The build failed.');
  process.exit(1);
}

const failed = [];
for (const name of names) {
  console.error(`\n▶ bench: ${name}`);
  if (BENCHES[name] === 'browser') {
    if (!succeeds('npx', ['playwright', 'test', '--config', 'bench/playwright.config.ts', `bench/browser/${name}.bench.ts`])) {
      failed.push(name);
    }
    continue;
  }
  try {
    const { figures, details } = await (await import(`./${name}.mjs`)).run();
    recordBench(name, figures, details);
  } catch (error) {
    console.error(error);
    failed.push(name);
  }
}

const results = readResults();
console.log(`\n${markdownTable(results, names)}\n`);
// Benchmarks with more dimensions than one figure per row (network: profile × codec) add tables of their own.
for (const table of names.flatMap((name) => results.benches[name]?.tables ?? [])) console.log(`${table}\n`);
if (failed.length > 0) {
  console.error(`Could not run: ${failed.join(', ')} (see above).`);
  process.exit(1);
}
