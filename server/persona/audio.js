/**
 * The persona's lines as the gateway sends them: 20 ms frames of 16 kHz mono PCM16 from the
 * committed WAV files, and the same frames as Opus packets, rendered ahead of time by
 * render-opus.js into `audio/opus/` (so no call, and no server start, ever encodes).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { FRAME_BYTES, FRAME_MS, SAMPLE_RATE } from '../gateway/protocol.js';
import { opusPacketMs } from '../opus.js';
import { allLines } from './lines.js';

/** The committed WAV files of the lines. */
export const AUDIO_DIR = new URL('./audio/', import.meta.url);
/** Where render-opus.js writes the Opus packets of each line. */
export const OPUS_DIR = new URL('./audio/opus/', import.meta.url);

/**
 * One line in every codec the gateway runs: the same 20 ms frames, frame for frame.
 * @typedef {Record<import('../gateway/codecs.js').Codec, Buffer[]>} CodedAudio
 */
/** @typedef {Map<string, CodedAudio>} LineAudio every line, by the name of its WAV file */

/** @type {Promise<LineAudio> | null} */
let loading = null;

/**
 * Reads every line's audio once per process.
 * @returns {Promise<LineAudio>}
 */
export function loadLineAudio() {
  loading ??= (async () => {
    /** @type {LineAudio} */
    const audio = new Map();
    for (const { file } of allLines()) {
      const pcm16 = toFrames(parseWav(await readFile(new URL(file, AUDIO_DIR)), file));
      const opus = parsePackets(await readFile(new URL(opusFileOf(file), OPUS_DIR)), opusFileOf(file));
      if (opus.length !== pcm16.length) {
        throw new Error(
          `${opusFileOf(file)} has ${opus.length} packets for ${pcm16.length} frames: run server/persona/render-opus.js`,
        );
      }
      audio.set(file, { pcm16, opus });
    }
    return audio;
  })();
  return loading;
}

/**
 * The name of the Opus packet file of a line's WAV file.
 * @param {string} wavFile
 */
export function opusFileOf(wavFile) {
  return wavFile.replace(/\.wav$/, '.opus-packets');
}

/**
 * Packets as render-opus.js stores them: each a 16-bit little-endian length, then the packet.
 * @param {readonly Uint8Array[]} packets
 */
export function serializePackets(packets) {
  return Buffer.concat(
    packets.flatMap((packet) => {
      const length = Buffer.alloc(2);
      length.writeUInt16LE(packet.length);
      return [length, packet];
    }),
  );
}

/**
 * Reads what {@link serializePackets} wrote; every packet must hold one 20 ms frame.
 * @param {Buffer} data
 * @param {string} name for error messages
 */
export function parsePackets(data, name) {
  const packets = [];
  for (let offset = 0; offset < data.length; ) {
    const length = offset + 2 <= data.length ? data.readUInt16LE(offset) : -1;
    const packet = data.subarray(offset + 2, offset + 2 + length);
    if (packet.length !== length || opusPacketMs(packet) !== FRAME_MS) throw new Error(`${name}: bad packet at byte ${offset}`);
    packets.push(packet);
    offset += 2 + length;
  }
  return packets;
}

/**
 * Returns the PCM data of a RIFF/WAVE file, which must be 16-bit PCM, mono, 16 kHz. Walks the
 * chunk list, so extra chunks (LIST, fact…) before or after `data` are fine.
 * @param {Buffer} wav
 * @param {string} name for error messages
 */
export function parseWav(wav, name) {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${name}: not a RIFF/WAVE file`);
  }
  let format = null;
  for (let offset = 12; offset + 8 <= wav.length; ) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (body + size > wav.length && id !== 'data') throw new Error(`${name}: truncated ${id} chunk`);
    if (id === 'fmt ') {
      format = {
        // 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE, whose sub-format we accept as PCM
        tag: wav.readUInt16LE(body),
        channels: wav.readUInt16LE(body + 2),
        sampleRate: wav.readUInt32LE(body + 4),
        bits: wav.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error(`${name}: data chunk before fmt chunk`);
      const ok =
        (format.tag === 1 || format.tag === 0xfffe) &&
        format.channels === 1 &&
        format.sampleRate === SAMPLE_RATE &&
        format.bits === 16;
      if (!ok) throw new Error(`${name}: expected 16-bit PCM mono at ${SAMPLE_RATE} Hz`);
      // Some writers leave the data size unset (0 or 0xFFFFFFFF) when streaming.
      const end = size === 0 || body + size > wav.length ? wav.length : body + size;
      return wav.subarray(body, end - ((end - body) % 2));
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${name}: no data chunk`);
}

/**
 * Splits PCM into 640-byte frames, padding the last one with silence.
 * @param {Buffer} pcm
 */
export function toFrames(pcm) {
  const frames = [];
  for (let offset = 0; offset < pcm.length; offset += FRAME_BYTES) {
    const frame = Buffer.alloc(FRAME_BYTES);
    pcm.copy(frame, 0, offset, Math.min(offset + FRAME_BYTES, pcm.length));
    frames.push(frame);
  }
  return frames;
}
