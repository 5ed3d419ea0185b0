/** Debian's Chromium, driven by Playwright: launch flags for each {@link BrowserSetup}. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserSetup } from './BrowserSetup.ts';

/** Where Debian installs Chromium (scripts/lib/chromium.mjs installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium flags that work as root on a closed network, inside the tests' network namespace. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--allow-loopback-in-peer-connection',
];

/** Fake audio inputs whose sound is a rep's sentence followed by silence, looped. */
export const FAKE_MIC_ARGS = [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${resolve(import.meta.dirname, '../fixtures/rep-speech.wav')}`,
];

/**
 * The `talking` microphone: the sentence of `rep-speech.wav` without its silences (it runs
 * from 0.5 s to 6.48 s of the 16 kHz, 16-bit mono file), for Chromium to loop. Written on first
 * use under test-results/, atomically: every Playwright worker may write it.
 */
function talkingMicrophoneArgs(): string[] {
  const wav = readFileSync(resolve(import.meta.dirname, '../fixtures/rep-speech.wav'));
  const HEADER = 44;
  const speech = wav.subarray(HEADER + 0.5 * 16_000 * 2, HEADER + 6.48 * 16_000 * 2);
  const header = Buffer.from(wav.subarray(0, HEADER));
  header.writeUInt32LE(36 + speech.length, 4);
  header.writeUInt32LE(speech.length, 40);
  const dir = resolve(import.meta.dirname, '../../test-results/fixtures');
  const path = resolve(dir, 'talking.wav');
  mkdirSync(dir, { recursive: true });
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, Buffer.concat([header, speech]));
  renameSync(temporary, path);
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${path}`];
}

/** Lets pages start audio without a user gesture. */
export const AUTOPLAY_ARGS = ['--autoplay-policy=no-user-gesture-required'];

/**
 * Chromium's flags for `setup`. Chromium's default autoplay policy lets a page that captures
 * the microphone play sound, and the SDK captures before it plays, so `blocked` takes the
 * stricter policy that other browsers and settings apply.
 */
export function chromiumArgs(setup: Required<BrowserSetup>): string[] {
  return [
    ...CHROMIUM_ARGS,
    ...(setup.microphone === 'absent' ? [] : setup.microphone === 'talking' ? talkingMicrophoneArgs() : FAKE_MIC_ARGS),
    ...(setup.autoplay === 'blocked' ? ['--autoplay-policy=user-gesture-required'] : AUTOPLAY_ARGS),
  ];
}

/** The context permissions for `setup`: a refused microphone is one the context was not granted. */
export function chromiumPermissions(setup: Required<BrowserSetup>): string[] {
  return setup.microphone === 'refused' ? [] : ['microphone'];
}

/**
 * An init script for `speakers: 'absent'`. Chromium without a sound card falls back to a silent
 * fake output and runs its AudioContexts anyway, so the machine Firefox meets for real (no
 * output device: contexts stay suspended and `resume()` never settles) is emulated here by
 * holding every context suspended.
 */
export function holdAudioContextsSuspended(): void {
  window.AudioContext = class extends window.AudioContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      void super.suspend();
    }
    override resume(): Promise<void> {
      return new Promise(() => undefined);
    }
  };
}
