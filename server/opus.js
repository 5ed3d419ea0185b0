/**
 * Opus for the gateway: the encoder that renders the persona's lines (persona/render-opus.js),
 * the decoder of a rep's uplink, and a packet's duration from its TOC byte (RFC 6716, 3.1).
 * libopus comes from @evan/opus's WebAssembly build, loaded explicitly rather than through the
 * package's entry point (which prefers a native binary): the same code and bytes on every
 * platform, and a `drop()` that frees a decoder's memory when its call ends (server/README.md).
 * @module
 */
import opus from '@evan/opus/wasm/index.js';
import { FRAME_MS, FRAME_SAMPLES, MAX_OPUS_PACKET_BYTES, SAMPLE_RATE } from '../src/contract/voice.js';

/**
 * Opus bitrate of the persona's lines, in bit/s. With the per-packet overhead of the downlink
 * (TCP/IPv4 52 B, WebSocket 2 B, seq 4 B: 23.2 kbit/s at 50 packets/s) it keeps the persona
 * under 40 kbit/s on the wire (server/README.md has the figures).
 */
export const OPUS_BITRATE = 12_000;

const APPLICATION_VOIP = 'voip';
const SET_BITRATE = 4002;
const SET_COMPLEXITY = 4010;
const SET_SIGNAL = 4024;
const SIGNAL_VOICE = 3001;

/** Frame durations of the TOC's 32 configurations, in µs (RFC 6716, table 2). */
const CONFIG_FRAME_US = [
  ...Array.from({ length: 12 }, (_, config) => [10_000, 20_000, 40_000, 60_000][config % 4]),
  ...Array.from({ length: 4 }, (_, config) => [10_000, 20_000][config % 2]),
  ...Array.from({ length: 16 }, (_, config) => [2_500, 5_000, 10_000, 20_000][config % 4]),
];

/**
 * How much audio an Opus packet holds, from its TOC byte (and frame count byte), without
 * decoding it.
 * @param {Uint8Array} packet
 * @returns {number | null} milliseconds; null when the packet is empty, too long or has no frames
 */
export function opusPacketMs(packet) {
  if (packet.length < 1 || packet.length > MAX_OPUS_PACKET_BYTES) return null;
  const toc = /** @type {number} */ (packet[0]);
  const frameUs = /** @type {number} */ (CONFIG_FRAME_US[toc >> 3]);
  const code = toc & 3;
  let frames = code === 0 ? 1 : 2;
  if (code === 3) {
    if (packet.length < 2) return null;
    frames = /** @type {number} */ (packet[1]) & 0x3f;
    if (frames === 0) return null;
  }
  return (frames * frameUs) / 1000;
}

/** Decoders not yet closed, for tests and the load benchmark. */
let openDecoders = 0;

/** How many Opus decoders are open now. */
export function openOpusDecoders() {
  return openDecoders;
}

/** A decoder of 16 kHz mono Opus; `close()` frees its memory and must be called. */
export class OpusDecoder {
  #decoder = new opus.Decoder({ channels: 1, sample_rate: SAMPLE_RATE });

  constructor() {
    openDecoders += 1;
  }

  /**
   * @param {Uint8Array} packet one Opus packet
   * @returns {Int16Array} its samples
   * @throws {Error} for a packet libopus cannot decode
   */
  decode(packet) {
    const bytes = this.#decoder.decode(packet);
    // A fresh copy at offset 0, so the view is aligned.
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  }

  close() {
    this.#decoder.drop();
    openDecoders -= 1;
  }
}

/** An encoder of 16 kHz mono speech into 20 ms packets at OPUS_BITRATE; `close()` frees it. */
export class OpusEncoder {
  #encoder = new opus.Encoder({ channels: 1, sample_rate: SAMPLE_RATE, application: APPLICATION_VOIP });

  constructor() {
    this.#encoder.ctl(SET_BITRATE, OPUS_BITRATE);
    this.#encoder.ctl(SET_COMPLEXITY, 10);
    this.#encoder.ctl(SET_SIGNAL, SIGNAL_VOICE);
  }

  /**
   * @param {Uint8Array} frame 20 ms of 16-bit little-endian PCM
   * @returns {Buffer} one packet
   */
  encode(frame) {
    if (frame.length !== FRAME_SAMPLES * 2) throw new RangeError(`expected a ${FRAME_MS} ms frame of ${FRAME_SAMPLES * 2} bytes`);
    return Buffer.from(this.#encoder.encode(frame));
  }

  close() {
    this.#encoder.drop();
  }
}

/**
 * Encodes 20 ms PCM16 frames with a fresh encoder, one packet per frame. For audio known ahead
 * of time (the persona's lines, a benchmark's tone bursts): never for each call.
 * @param {readonly Uint8Array[]} frames
 */
export function encodeFrames(frames) {
  const encoder = new OpusEncoder();
  try {
    return frames.map((frame) => encoder.encode(frame));
  } finally {
    encoder.close();
  }
}
