#!/usr/bin/env node
// Runs the Playwright suite in real Chromium and real Firefox. Installs Debian's Chromium,
// Firefox ESR and PulseAudio when they are missing, and runs everything inside a private
// network namespace: the SDK opens RTCPeerConnections, and no ICE candidate may point at a
// real interface. Inside it, it starts a private PulseAudio server for Firefox (this machine
// has no sound card) and stops it when Playwright is done.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureFirefox } from './lib/firefox.mjs';
import { startPulseAudio } from './lib/pulseaudio.mjs';

const args = process.argv.slice(2);

if (process.env.ATHOS_IN_NETNS !== '1') {
  ensureChromium();
  ensureFirefox();
  const command = [process.execPath, import.meta.filename, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const unshare = process.getuid?.() === 0 ? '-n' : '-rn';
  const result = spawnSync('unshare', [unshare, 'sh', '-c', `ip link set lo up && ATHOS_IN_NETNS=1 exec ${command}`], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const pulse = await startPulseAudio(resolve(import.meta.dirname, '../e2e/fixtures/rep-speech.wav'));
const playwright = spawn('npx', ['playwright', 'test', ...args], {
  stdio: 'inherit',
  env: { ...process.env, ATHOS_PULSE_SERVER: pulse.server },
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => playwright.kill(signal));
/** @type {number} */
const status = await new Promise((done) => playwright.once('exit', (code) => done(code ?? 1)));
await pulse.stop();
process.exit(status);
