#!/usr/bin/env node
// `npm start`: the local Athos server and the QA demo page, in one process.
//
// The Athos server takes its settings from the ATHOS_* environment variables (see
// server/README.md), with its fault controls on unless ATHOS_FAULTS=0. The demo page is served
// by a Vite dev server on ATHOS_DEMO_PORT (default 5173; 0 picks a free one) whose small plugin
// (demo/backend.js) is the demo's own backend: it holds the API key and mints session tokens, as
// an integrator's backend would.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { demoBackend } from '../demo/backend.js';
import { configFromEnv, startAthosServer } from '../server/index.js';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * The demo page's port from ATHOS_DEMO_PORT, read and checked as the server reads ATHOS_PORT.
 * @param {NodeJS.ProcessEnv} env
 */
function demoPort(env) {
  const value = env.ATHOS_DEMO_PORT?.trim() || '5173';
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    console.error('ATHOS_DEMO_PORT must be an integer from 0 to 65535');
    process.exit(1);
  }
  return Number(value);
}
const DEMO_PORT = demoPort(process.env);

// demo/script-tag.html loads the script-tag build from dist/, as integrators do.
if (!existsSync(resolve(ROOT, 'dist/athos-roleplay.iife.js'))) {
  console.log('Building dist/ for the script-tag page…');
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const config = {
  faults: true,
  ...configFromEnv(process.env),
  log: (/** @type {string} */ line) => console.log(`[athos] ${line}`),
};
const athos = await startAthosServer(config);

const vite = await createServer({
  root: ROOT,
  configFile: resolve(ROOT, 'vite.config.ts'),
  // Its own dependency cache, so that it never invalidates the one of the e2e page server.
  cacheDir: resolve(ROOT, 'node_modules/.vite-demo'),
  clearScreen: false,
  server: { port: DEMO_PORT, strictPort: true, host: 'localhost' },
  plugins: [demoBackend({ athosUrl: athos.url, apiKey: athos.apiKey, faultSecret: athos.faultSecret })],
});
await vite.listen();
const demoUrl = vite.resolvedUrls?.local[0] ?? `http://localhost:${DEMO_PORT}/`;

const faultControls = athos.faultSecret ? `on, X-Athos-Fault-Secret: ${athos.faultSecret}` : 'off';
console.log(`
  Athos server:  ${athos.url}  (fault controls ${faultControls})
  Demo:          ${demoUrl}demo/
  Script tag:    ${demoUrl}demo/script-tag.html

  Press Ctrl+C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await vite.close();
  await athos.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
