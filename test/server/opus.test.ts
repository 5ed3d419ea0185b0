import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFrames, OpusDecoder, openOpusDecoders, opusPacketMs } from '../../server/opus.js';
import { AUDIO_DIR, loadLineAudio, parsePackets, serializePackets } from '../../server/persona/audio.js';
import { allLines } from '../../server/persona/lines.js';
import { renderOpus } from '../../server/persona/render-opus.js';
import { decodeOpus, samples, waveformMatch } from './compare-audio';

/** A TOC byte: configuration 0–31, frame count code 0–3 (RFC 6716, 3.1). */
const toc = (config: number, code: number) => (config << 3) | code;

describe('Opus packet duration from the TOC byte', () => {
  it.each([
    { case: 'SILK wideband 20 ms, one frame', packet: [toc(9, 0), 1, 2], ms: 20 },
    { case: 'SILK wideband 20 ms, two frames', packet: [toc(9, 1), 1, 2], ms: 40 },
    { case: 'SILK wideband 10 ms, two frames', packet: [toc(8, 1), 1, 2], ms: 20 },
    { case: 'SILK narrowband 60 ms', packet: [toc(3, 0), 1], ms: 60 },
    { case: 'hybrid fullband 20 ms', packet: [toc(15, 0), 1], ms: 20 },
    { case: 'CELT 2.5 ms, 8 frames (code 3)', packet: [toc(16, 3), 8, 1, 2], ms: 20 },
    { case: 'CELT fullband 20 ms, 3 frames (code 3)', packet: [toc(31, 3), 3, 1], ms: 60 },
  ])('$case: $ms ms', ({ packet, ms }) => {
    expect(opusPacketMs(Uint8Array.from(packet))).toBe(ms);
  });

  it('has no duration for an empty packet, a missing or zero frame count, or over 1275 bytes', () => {
    expect(opusPacketMs(new Uint8Array(0))).toBeNull();
    expect(opusPacketMs(Uint8Array.of(toc(9, 3)))).toBeNull();
    expect(opusPacketMs(Uint8Array.of(toc(9, 3), 0))).toBeNull();
    const long = new Uint8Array(1276);
    long[0] = toc(9, 0);
    expect(opusPacketMs(long)).toBeNull();
    expect(opusPacketMs(long.subarray(0, 1275))).toBe(20);
  });
});

describe('the decoder', () => {
  it('decodes 20 ms packets to 320 samples, throws on a corrupt one, and counts what is open', () => {
    const before = openOpusDecoders();
    const decoder = new OpusDecoder();
    expect(openOpusDecoders()).toBe(before + 1);
    const [packet] = encodeFrames([Buffer.alloc(640)]);
    expect(decoder.decode(packet!)).toHaveLength(320);
    // Code 2 (two frames of different sizes) whose first frame claims 200 bytes of 2.
    expect(() => decoder.decode(Uint8Array.of(toc(8, 2), 200))).toThrow();
    decoder.close();
    expect(openOpusDecoders()).toBe(before);
  });
});

describe('the packet files', () => {
  it('round-trip and refuse anything but whole 20 ms packets', () => {
    const packets = encodeFrames([Buffer.alloc(640), Buffer.alloc(640)]);
    const file = serializePackets(packets);
    expect(parsePackets(file, 'x')).toEqual(packets);
    expect(() => parsePackets(file.subarray(0, file.length - 1), 'x')).toThrow(/bad packet/);
    expect(() => parsePackets(Buffer.from([1]), 'x')).toThrow(/bad packet/);
    expect(() => parsePackets(serializePackets([Uint8Array.of(toc(9, 1), 0, 0)]), 'x')).toThrow(/bad packet/);
    expect(() => parsePackets(serializePackets([new Uint8Array(0)]), 'x')).toThrow(/bad packet/);
  });
});

describe("the persona's committed Opus lines", () => {
  it('are exactly what render-opus.js makes of the WAV files with the current settings', () => {
    for (const { file } of allLines()) {
      const committed = parsePackets(readFileSync(new URL(`opus/${file.replace(/\.wav$/, '.opus-packets')}`, AUDIO_DIR)), file);
      expect(
        serializePackets(renderOpus(readFileSync(new URL(file, AUDIO_DIR)), file)).equals(serializePackets(committed)),
        file,
      ).toBe(true);
    }
  }, 60_000);

  it('decode back to their reference lines, and not to other lines', async () => {
    const audio = await loadLineAudio();
    const files = allLines().map((line) => line.file);
    for (const [i, file] of files.entries()) {
      const { pcm16, opus } = audio.get(file)!;
      const decoded = decodeOpus(opus);
      const match = waveformMatch(samples(pcm16), decoded);
      expect(match.r, file).toBeGreaterThan(0.85);
      expect(match.lag, file).toBe(104);
      const other = audio.get(files[(i + 1) % files.length]!)!.pcm16;
      expect(waveformMatch(samples(other), decoded).r, `${file} against another line`).toBeLessThan(0.3);
    }
  }, 60_000);

  it('fit 40 kbit/s on the wire with TCP/IPv4, WebSocket and seq headers, pings and pongs included', async () => {
    const audio = await loadLineAudio();
    const packets = [...audio.values()].flatMap((line) => line.opus);
    const meanBytes = packets.reduce((sum, packet) => sum + packet.length, 0) / packets.length;
    // Per 20 ms: TCP/IPv4 with timestamps 52 B, WebSocket header 2 B, seq 4 B. Per second: the
    // gateway's ping and its pong to the client's ping, each about 30 B of JSON in a segment of its own.
    const perSecond = 50 * (52 + 2 + 4 + meanBytes) + 2 * (52 + 2 + 30);
    expect((perSecond * 8) / 1000).toBeLessThanOrEqual(40);
  });
});
