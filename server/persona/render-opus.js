/**
 * Renders every line's WAV file into the Opus packets the gateway sends (audio/opus/), once,
 * ahead of time: `node server/persona/render-opus.js` after changing a WAV file, the encoder
 * settings (server/opus.js) or the Opus library. render-lines.sh runs it after the WAV files.
 * test/server/opus.test.ts fails when the committed packets are not what this renders.
 * @module
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { encodeFrames } from '../opus.js';
import { AUDIO_DIR, OPUS_DIR, opusFileOf, parseWav, serializePackets, toFrames } from './audio.js';
import { allLines } from './lines.js';

/**
 * The Opus packets of one line: a fresh encoder per line, so each file depends on its WAV alone.
 * @param {Buffer} wav
 * @param {string} name
 */
export function renderOpus(wav, name) {
  return encodeFrames(toFrames(parseWav(wav, name)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await mkdir(OPUS_DIR, { recursive: true });
  for (const { file } of allLines()) {
    const packets = renderOpus(await readFile(new URL(file, AUDIO_DIR)), file);
    await writeFile(new URL(opusFileOf(file), OPUS_DIR), serializePackets(packets));
    process.stdout.write(`${opusFileOf(file)}: ${packets.length} packets\n`);
  }
}
