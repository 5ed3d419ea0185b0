#!/usr/bin/env node
// Runs the Playwright suite in real Chromium. Installs Debian's Chromium when it is missing,
// and runs everything inside a private network namespace: the SDK opens RTCPeerConnections,
// and no ICE candidate may point at a real interface.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
  return result.status ?? 1;
}

const isRoot = process.getuid?.() === 0;

function aptGet(...aptArgs) {
  const [command, ...rest] = [...(isRoot ? [] : ['sudo']), 'apt-get', ...aptArgs];
  return run(command, rest);
}

if (!existsSync(CHROMIUM)) {
  console.log("Chromium is missing; installing Debian's chromium package…");
  if (aptGet('update', '-qq') !== 0 || aptGet('install', '-y', '-qq', 'chromium') !== 0 || !existsSync(CHROMIUM)) {
    console.error('Could not install Chromium (apt-get install chromium).');
    process.exit(1);
  }
}

if (process.env.ATHOS_IN_NETNS === '1') {
  process.exit(run('npx', ['playwright', 'test', ...args]));
}
const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
process.exit(
  run('unshare', [isRoot ? '-n' : '-rn', 'sh', '-c', `ip link set lo up && ATHOS_IN_NETNS=1 exec npx playwright test ${quoted}`]),
);
