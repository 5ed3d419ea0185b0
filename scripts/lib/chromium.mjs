/** Debian's Chromium, which the end-to-end tests and the benchmarks drive. */
import { ensureDebianPackages } from './debian.mjs';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Installs Chromium with apt-get when it is missing; exits the process if that fails. */
export function ensureChromium() {
  ensureDebianPackages('Chromium', [CHROMIUM], ['chromium']);
}
