/**
 * Loads the persona's committed WAV files into 20 ms frames of 16 kHz mono PCM16.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { FRAME_BYTES, SAMPLE_RATE } from '../gateway/protocol.js';
import { allLines } from './lines.js';

const AUDIO_DIR = new URL('./audio/', import.meta.url);

/** @typedef {Map<string, Buffer[]>} LineAudio frames of every line, by file name */

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
      const pcm = parseWav(await readFile(new URL(file, AUDIO_DIR)), file);
      audio.set(file, toFrames(pcm));
    }
    return audio;
  })();
  return loading;
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
