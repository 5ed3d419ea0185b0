/**
 * Chromium flags for a fake microphone that captures silence: a rep who says nothing, so that
 * nothing the rep says holds back the persona's greeting.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE_RATE = 16_000;

/** One second of 16-bit mono PCM silence as a WAV file. */
function silenceWav() {
  const data = SAMPLE_RATE * 2;
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
  return wav;
}

export function silentMicArgs() {
  const file = join(tmpdir(), 'athos-bench-silence.wav');
  writeFileSync(file, silenceWav());
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}`];
}
