/** WAV files for Chromium's fake microphone (`--use-file-for-fake-audio-capture`, which loops them). */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE_RATE = 16_000;

/**
 * 16-bit mono PCM at 16 kHz as a WAV file.
 * @param {Int16Array} pcm
 */
function wavFile(pcm) {
  const data = pcm.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  Buffer.from(pcm.buffer, pcm.byteOffset, data).copy(wav, 44);
  return wav;
}

/**
 * Chromium flags for a fake microphone that captures `pcm` (16 kHz mono), looped.
 * @param {string} name names the temporary file
 * @param {Int16Array} pcm
 */
export function fakeMicArgs(name, pcm) {
  const file = join(tmpdir(), `athos-bench-${name}.wav`);
  writeFileSync(file, wavFile(pcm));
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}`];
}
