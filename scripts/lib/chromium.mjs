/**
 * Debian's Chromium, which the end-to-end tests and the benchmarks drive. A fresh machine (CI
 * included) does not have it, and browser downloads are not possible here, so it comes from
 * the distribution's package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Installs Chromium with apt-get when it is missing; exits the process if that fails. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log("Chromium is missing; installing Debian's chromium package…");
  const asRoot = process.getuid?.() === 0;
  /** @type {(...args: string[]) => number | null} */
  const aptGet = (...args) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], { stdio: 'inherit' }).status;
  if (aptGet('update', '-qq') !== 0 || aptGet('install', '-y', '-qq', 'chromium') !== 0 || !existsSync(CHROMIUM)) {
    console.error('Could not install Chromium (apt-get install chromium).');
    process.exit(1);
  }
}
