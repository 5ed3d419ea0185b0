#!/usr/bin/env node
// Builds the framework examples (examples/*) against the packed SDK, as an app that installed
// it would: packs the package (`npm run build` first) into the tarball the examples depend on,
// installs each example's locked dependencies from the npm registry (kept in the example's own
// node_modules between runs), installs the fresh tarball, and runs the example's `build` script
// (its type check included). Writes test-results/examples.json (`{ passed, failed }`, example
// names) for `npm test`, and exits non-zero if any example failed. e2e/examples.spec.ts then
// runs the built examples in Chromium.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** The examples, each a folder under examples/ with its own package.json and lockfile. */
const EXAMPLES = ['vite-react', 'nextjs'];
/** What every example's package.json says about the SDK: the tarball `npm pack` writes at the root. */
const SDK_DEPENDENCY = '@useathos/sdk';
/** Where npm records the lockfile an example's node_modules was installed from. */
const STAMP = 'node_modules/.athos-installed-from';

/** npm and Next.js as this script runs them: no telemetry, no audit or funding calls. */
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', npm_config_audit: 'false', npm_config_fund: 'false' };

/**
 * @param {string} cwd
 * @param {string} command
 * @param {string[]} args
 */
function run(cwd, command, args) {
  const { status } = spawnSync(command, args, { cwd, env: ENV, stdio: 'inherit' });
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
}

/** @param {string} file */
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Packs the SDK where the examples expect it; returns the tarball's file name. */
function pack() {
  const result = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', ROOT], {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  const [{ filename }] = JSON.parse(result.stdout);
  return filename;
}

/**
 * Installs and builds one example against the packed SDK.
 * @param {string} name
 * @param {string} tarball the tarball's file name, at the root
 */
function buildExample(name, tarball) {
  const dir = resolve(ROOT, 'examples', name);
  const manifest = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
  const wanted = `file:../../${tarball}`;
  if (manifest.dependencies?.[SDK_DEPENDENCY] !== wanted) {
    throw new Error(`examples/${name}/package.json must depend on ${SDK_DEPENDENCY} as "${wanted}", the tarball npm pack writes`);
  }
  // The tarball changes with every build of the SDK, so a recorded integrity would be wrong on
  // the next pack (EINTEGRITY on a clean machine, a stale copy from npm's cache on this one).
  const lock = JSON.parse(readFileSync(resolve(dir, 'package-lock.json'), 'utf8'));
  if (lock.packages?.[`node_modules/${SDK_DEPENDENCY}`]?.integrity) {
    throw new Error(`examples/${name}/package-lock.json records an integrity for ${SDK_DEPENDENCY}: delete that line`);
  }

  const lockHash = sha256(resolve(dir, 'package-lock.json'));
  const stamp = resolve(dir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) {
    run(dir, 'npm', ['install', '--no-save', '--prefer-offline', `../../${tarball}`]);
  } else {
    run(dir, 'npm', ['ci', '--prefer-offline']);
    writeFileSync(stamp, lockHash);
  }
  for (const file of ['dist/index.mjs', 'dist/react.mjs']) {
    if (sha256(resolve(dir, 'node_modules', SDK_DEPENDENCY, file)) !== sha256(resolve(ROOT, file))) {
      throw new Error(`examples/${name} did not get the freshly packed ${SDK_DEPENDENCY} (${file} differs)`);
    }
  }
  run(dir, 'npm', ['run', 'build']);
}

const results = { passed: /** @type {string[]} */ ([]), failed: /** @type {string[]} */ ([]) };
const tarball = pack();
for (const name of EXAMPLES) {
  const started = performance.now();
  try {
    buildExample(name, tarball);
    results.passed.push(name);
    console.log(`examples/${name}: built against ${tarball} in ${Math.round((performance.now() - started) / 1000)} s`);
  } catch (error) {
    results.failed.push(name);
    console.error(`examples/${name}: ${error instanceof Error ? error.message : error}`);
  }
}
mkdirSync(resolve(ROOT, 'test-results'), { recursive: true });
writeFileSync(resolve(ROOT, 'test-results/examples.json'), JSON.stringify(results));
process.exit(results.failed.length === 0 ? 0 : 1);
