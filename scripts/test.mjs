#!/usr/bin/env node
// `npm test`: first the gate (`npm run typecheck`: the types of every file; `npm run lint`:
// lint and format), then builds the package, runs every unit, server and package test
// (Vitest), builds the framework examples against the packed package (scripts/examples.mjs:
// one test per example), then every end-to-end test in real Chromium and Firefox (Playwright,
// the examples' included), and ends with one line
// `N passed, N failed` over all of them. A failed gate step counts as one failure; the tests
// still run, so that one run reports everything. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = 'test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {number} the exit status
 */
function step(command, args) {
  return spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
}

/**
 * @template T
 * @param {string} file
 * @returns {T | undefined} the parsed JSON, or undefined if the file is missing or broken
 */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;

const gateStart = performance.now();
const gateFailures = ['typecheck', 'lint'].filter((script) => step('npm', ['run', '--silent', script]) !== 0);
const gateSeconds = Math.round((performance.now() - gateStart) / 1000);
console.log(
  `Gate: ${gateFailures.length === 0 ? 'passed' : `FAILED (npm run ${gateFailures.join(', npm run ')})`} in ${gateSeconds} s`,
);
failed += gateFailures.length;

if (step('npm', ['run', '--silent', 'build']) !== 0) {
  console.error('The build failed.');
  failed += 1;
} else {
  const unitStatus = step('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS}/unit.json`]);
  /** @type {{ numPassedTests?: number, numFailedTests?: number } | undefined} */
  const unit = readJson(`${RESULTS}/unit.json`);
  passed += unit?.numPassedTests ?? 0;
  failed += unit?.numFailedTests ?? 0;
  if (unitStatus !== 0 && !unit?.numFailedTests) failed += 1;

  // The framework examples, built against the packed SDK; e2e/examples.spec.ts then runs them.
  const examplesStatus = step('node', ['scripts/examples.mjs']);
  /** @type {{ passed?: string[], failed?: string[] } | undefined} */
  const examples = readJson(`${RESULTS}/examples.json`);
  passed += examples?.passed?.length ?? 0;
  failed += examples?.failed?.length ?? 0;
  if (examplesStatus !== 0 && !examples?.failed?.length) failed += 1;

  const e2eStatus = step('node', ['scripts/e2e.mjs', ...process.argv.slice(2)]);
  /** @type {{ stats?: { expected?: number, flaky?: number, unexpected?: number } } | undefined} */
  const e2e = readJson(`${RESULTS}/e2e.json`);
  passed += (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
  failed += e2e?.stats?.unexpected ?? 0;
  if (e2eStatus !== 0 && !e2e?.stats?.unexpected) failed += 1;
}

if (gateFailures.length > 0) console.error(`The gate failed: npm run ${gateFailures.join(', npm run ')} (see above).`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
