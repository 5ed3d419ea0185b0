/**
 * The codecs of a call (docs/protocol.md, section 4): which one a call uses, chosen from the
 * client's offer in `auth` and checked again on every `resume`, and how the gateway reads the
 * rep's uplink frames in each.
 * @module
 */
import { FRAME_MS, MAX_OPUS_PACKET_BYTES, MAX_PCM16_FRAME_BYTES, SAMPLE_RATE } from '../../src/contract/voice.js';
import { OpusDecoder, opusPacketMs } from '../opus.js';

/** @typedef {import('../../src/contract/voice.js').Codec} Codec */

/**
 * Reads one call's uplink: checks each frame, then turns it into 16 kHz PCM for the persona.
 * @typedef {object} UplinkDecoder
 * @property {(frame: Buffer) => number | null} frameMs how much audio a frame holds, in ms;
 *   null when it is not a valid frame of the codec
 * @property {(frame: Buffer) => Int16Array | null} decode the samples of a valid frame; null
 *   when its content turns out to be corrupt
 * @property {string} expected what a valid frame is, for the BAD_AUDIO_FRAME warning
 * @property {() => void} close frees what the decoder holds, when its call ends
 */

const PCM16_BYTES_PER_MS = (SAMPLE_RATE / 1000) * 2;

/** @returns {UplinkDecoder} */
function pcm16Uplink() {
  return {
    frameMs: (frame) =>
      frame.length >= 2 && frame.length <= MAX_PCM16_FRAME_BYTES && frame.length % 2 === 0
        ? frame.length / PCM16_BYTES_PER_MS
        : null,
    decode(frame) {
      // Copy: the received buffer need not be aligned for an Int16Array view.
      const pcm = new Int16Array(frame.length / 2);
      Buffer.from(pcm.buffer).set(frame);
      return pcm;
    },
    expected: `pcm16 frames must have an even length from 2 to ${MAX_PCM16_FRAME_BYTES} bytes`,
    close() {},
  };
}

/** @returns {UplinkDecoder} */
function opusUplink() {
  /** @type {OpusDecoder | null} null once closed: a freed decoder must never be used */
  let decoder = new OpusDecoder();
  return {
    frameMs: (frame) => (opusPacketMs(frame) === FRAME_MS ? FRAME_MS : null),
    decode(frame) {
      try {
        return decoder?.decode(frame) ?? null;
      } catch {
        return null;
      }
    },
    expected: `opus frames must be one Opus packet of ${FRAME_MS} ms, 1 to ${MAX_OPUS_PACKET_BYTES} bytes`,
    close() {
      decoder?.close();
      decoder = null;
    },
  };
}

/** The codecs this gateway runs, and their uplink decoders. The client's order of preference decides among them. */
const RUNS = /** @type {Readonly<Record<Codec, () => UplinkDecoder>>} */ (
  Object.freeze({ opus: opusUplink, pcm16: pcm16Uplink })
);

/** What a client that offers nothing (protocol version 1) runs. */
const NO_OFFER = Object.freeze(['pcm16']);

/**
 * Reads the `codecs` field of `auth` or `resume`.
 * @param {unknown} value as received
 * @returns {readonly string[] | null} the offer, most preferred first; `['pcm16']` when absent;
 *   null when it is not an array of strings
 */
export function readCodecOffer(value) {
  if (value === undefined) return NO_OFFER;
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) return null;
  return value;
}

/**
 * The call's codec: the first one offered that this gateway runs. Unknown names are skipped.
 * @param {readonly string[]} offer
 * @returns {Codec | null} null when the gateway runs none of them
 */
export function chooseCodec(offer) {
  return /** @type {Codec | undefined} */ (offer.find((name) => Object.hasOwn(RUNS, name))) ?? null;
}

/**
 * A decoder for one call's uplink.
 * @param {Codec} codec
 */
export function createUplinkDecoder(codec) {
  return RUNS[codec]();
}
