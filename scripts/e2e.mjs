#!/usr/bin/env node
// Runs the Playwright suite in real Chromium. Installs Debian's Chromium when it is missing,
// and runs everything inside a private network namespace: the SDK opens RTCPeerConnections,
// and no ICE candidate may point at a real interface.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './lib/chromium.mjs';

const args = process.argv.slice(2);
/** @type {(command: string, commandArgs: string[]) => number} */
const run = (command, commandArgs) => spawnSync(command, commandArgs, { stdio: 'inherit' }).status ?? 1;

ensureChromium();

if (process.env.ATHOS_IN_NETNS === '1') {
  process.exit(run('npx', ['playwright', 'test', ...args]));
}
const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
const unshare = process.getuid?.() === 0 ? '-n' : '-rn';
process.exit(run('unshare', [unshare, 'sh', '-c', `ip link set lo up && ATHOS_IN_NETNS=1 exec npx playwright test ${quoted}`]));
