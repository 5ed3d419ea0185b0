/**
 * Debian's Firefox ESR, the second engine of the end-to-end tests, and PulseAudio, which gives
 * it a sound card on a machine that has none (see pulseaudio.mjs).
 */
import { ensureDebianPackages } from './debian.mjs';

/** Where Debian installs Firefox ESR. */
export const FIREFOX = '/usr/bin/firefox-esr';

/** Installs Firefox ESR and PulseAudio with apt-get when missing; exits the process if that fails. */
export function ensureFirefox() {
  ensureDebianPackages(
    'Firefox ESR or PulseAudio',
    [FIREFOX, '/usr/bin/pulseaudio', '/usr/bin/pacat'],
    ['firefox-esr', 'pulseaudio'],
    {
      // PulseAudio's recommendations (rtkit, a logind session bus) serve desktops, not a test run.
      recommends: false,
    },
  );
}
