/**
 * What the network benchmark runs: the links, the codecs, the persona's lines and the rep's
 * microphone.
 */
import { readFileSync } from 'node:fs';
import { parseWav } from '../../../server/persona/audio.js';

/**
 * The links, each the same in both directions: delay is one-way (a 40 ms link adds 80 ms to
 * the round trip), jitter is uniform within ± that, loss is per packet and per direction, a
 * rate cap has a router buffer of `queueMs` (500 ms unless said otherwise).
 * @type {{ name: string, link: import('./lab.mjs').LinkProfile }[]}
 */
export const PROFILES = [
  { name: 'clean', link: {} },
  { name: 'jitter 20 ± 10 ms', link: { delayMs: 20, jitterMs: 10 } },
  { name: '25 ms, 1 % loss', link: { delayMs: 25, loss: 0.01 } },
  { name: '40 ms, 3 % loss', link: { delayMs: 40, loss: 0.03 } },
  { name: '200 kbit/s cap', link: { rateBps: 200_000 } },
  { name: '64 kbit/s cap', link: { rateBps: 64_000 } },
  { name: 'mobile: 60 ± 30 ms, 2 % loss, 1 Mbit/s', link: { delayMs: 60, jitterMs: 30, loss: 0.02, rateBps: 1_000_000 } },
];

/** The clean link again, with a rep who talks all the time (talkingRepPcm): bytes while both talk. */
export const BOTH_TALK = { name: 'both talk', link: {} };

/**
 * The codecs compared, and how a call is made to use each: `withoutWebCodecs` takes WebCodecs
 * away from the SDK's Worker (e2e/workerProbe.ts), so that it cannot offer Opus. Every row is
 * labelled with the codec the gateway's `live` names; a call that gets another codec than the
 * one asked for fails.
 * @type {Record<string, { withoutWebCodecs: boolean }>}
 */
export const CODECS = {
  opus: { withoutWebCodecs: false },
  pcm16: { withoutWebCodecs: true },
};

/** The persona's lines of every call: four voices, 2.6 to 3.4 s each. */
export const LINES = ['greeting-rosa.wav', 'female-elite-4.wav', 'male-elite-1.wav', 'male-beginner-5.wav'];

/** Lines the rep says back to back, without the pauses between them, for the "both talk" run. */
const REP_LINES = ['greeting-dennis.wav', 'greeting-harold.wav', 'greeting-tom.wav', 'greeting-walter.wav'];

const AUDIO_DIR = new URL('../../../server/persona/audio/', import.meta.url);

/**
 * A line's 16 kHz PCM16 samples.
 * @param {string} file
 */
export function linePcm(file) {
  const data = parseWav(readFileSync(new URL(file, AUDIO_DIR)), file);
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

/** PCM of a rep who never stops talking: REP_LINES with their leading and trailing silence cut. */
export function talkingRepPcm() {
  const QUIET = 300; // of full scale, about -40 dBFS
  const parts = REP_LINES.map((file) => {
    const pcm = linePcm(file);
    const loud = (/** @type {number} */ sample) => Math.abs(sample) >= QUIET;
    const end = pcm.length - [...pcm].reverse().findIndex(loud);
    return pcm.subarray(pcm.findIndex(loud), end);
  });
  const all = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
