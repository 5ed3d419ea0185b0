import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLineAudio, parseWav } from '../../server/persona/audio.js';
import { allLines } from '../../server/persona/lines.js';
import { VoiceActivityDetector } from '../../server/persona/vad.js';

function wav(chunks: Array<[string, Buffer]>): Buffer {
  const parts = chunks.map(([id, body]) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'ascii');
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
  });
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + parts.reduce((n, p) => n + p.length, 0), 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, ...parts]);
}

function fmt(channels = 1, sampleRate = 16000, bits = 16): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(sampleRate, 4);
  body.writeUInt32LE((sampleRate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  return body;
}

describe('WAV parsing', () => {
  it('walks the chunks, skipping odd-sized ones with their pad byte', () => {
    const pcm = Buffer.from([1, 0, 2, 0, 3, 0]);
    const file = wav([
      ['LIST', Buffer.from('abc')],
      ['fmt ', fmt()],
      ['data', pcm],
      ['id3 ', Buffer.alloc(4)],
    ]);
    expect(parseWav(file, 'test.wav')).toEqual(pcm);
  });

  it('refuses anything but 16 kHz mono PCM16', () => {
    expect(() => parseWav(Buffer.from('not a wav file'), 'x.wav')).toThrow(/RIFF/);
    expect(() =>
      parseWav(
        wav([
          ['fmt ', fmt(2)],
          ['data', Buffer.alloc(4)],
        ]),
        'x.wav',
      ),
    ).toThrow(/mono/);
    expect(() =>
      parseWav(
        wav([
          ['fmt ', fmt(1, 44100)],
          ['data', Buffer.alloc(4)],
        ]),
        'x.wav',
      ),
    ).toThrow(/16000/);
    expect(() => parseWav(wav([['data', Buffer.alloc(4)]]), 'x.wav')).toThrow(/before fmt/);
    expect(() => parseWav(wav([['fmt ', fmt()]]), 'x.wav')).toThrow(/no data/);
  });

  it('loads every committed line: real speech, under 3 MB in all', async () => {
    const audio = await loadLineAudio();
    let bytes = 0;
    for (const { file } of allLines()) {
      bytes += statSync(new URL(`../../server/persona/audio/${file}`, import.meta.url)).size;
      const frames = audio.get(file)!.pcm16;
      expect(frames.length, file).toBeGreaterThan(50); // over a second
      expect(frames.every((f) => f.length === 640)).toBe(true);
    }
    expect(bytes).toBeLessThanOrEqual(3_000_000);
  });
});

describe('voice activity detection', () => {
  const frame = (level: number) => new Int16Array(320).fill(level);

  it('starts after 60 ms of voice and ends after 700 ms of quiet', () => {
    const events: string[] = [];
    const vad = new VoiceActivityDetector({
      onSpeechStart: () => events.push('start'),
      onSpeechProgress: () => {},
      onSpeechEnd: (durationMs, quietMs) => events.push(`end ${durationMs} ${quietMs}`),
    });
    vad.push(frame(2000));
    vad.push(frame(2000));
    vad.push(frame(0));
    vad.push(frame(2000));
    vad.push(frame(2000));
    expect(events).toEqual([]);
    vad.push(frame(2000));
    expect(events).toEqual(['start']);
    for (let i = 0; i < 20; i++) vad.push(frame(2000));
    for (let i = 0; i < 34; i++) vad.push(frame(100));
    expect(events).toEqual(['start']);
    vad.push(frame(100));
    expect(events).toEqual(['start', 'end 460 700']);
  });

  it('counts samples, not packets: 5 ms pieces work too', () => {
    let started = false;
    const vad = new VoiceActivityDetector({
      onSpeechStart: () => (started = true),
      onSpeechProgress: () => {},
      onSpeechEnd: () => {},
    });
    for (let i = 0; i < 11; i++) vad.push(new Int16Array(80).fill(3000));
    expect(started).toBe(false);
    vad.push(new Int16Array(80).fill(3000));
    expect(started).toBe(true);
  });
});
