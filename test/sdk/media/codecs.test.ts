import { describe, expect, it } from 'vitest';
import type { AudioCodec, CodecOutput } from '../../../src/media/codec/AudioCodec.ts';
import { OPUS_DECODER_CONFIG, OPUS_ENCODER_CONFIG, OpusCodec } from '../../../src/media/codec/OpusCodec.ts';
import { createCodec, offerCodecs } from '../../../src/media/codec/offerCodecs.ts';
import { Pcm16Codec } from '../../../src/media/codec/Pcm16Codec.ts';
import { to16kHz } from '../../../src/media/dsp/to16kHz.ts';
import { fakeWebCodecs } from './fakeWebCodecs.ts';

function recordingOutput() {
  const packets: ArrayBuffer[] = [];
  const frames: Array<{ pcm: Int16Array; seq: number }> = [];
  const errors: unknown[] = [];
  const output: CodecOutput = {
    onPacket: (packet) => void packets.push(packet),
    onPcm: (pcm, seq) => void frames.push({ pcm, seq }),
    onError: (error) => void errors.push(error),
  };
  return { output, packets, frames, errors };
}

/** A 20 ms frame of 16 kHz PCM whose samples are all `value`. */
const frame = (value: number) => new Int16Array(320).fill(value);

describe('offerCodecs', () => {
  it('offers opus first when WebCodecs can encode and decode it, as isConfigSupported says', async () => {
    const { webCodecs, FakeEncoder, FakeDecoder } = fakeWebCodecs();
    expect(await offerCodecs(webCodecs)).toEqual(['opus', 'pcm16']);
    expect(FakeEncoder.isConfigSupported).toHaveBeenCalledWith(OPUS_ENCODER_CONFIG);
    expect(FakeDecoder.isConfigSupported).toHaveBeenCalledWith(OPUS_DECODER_CONFIG);
  });

  it('asks for 16 kHz mono Opus in 20 ms packets, at a bitrate that keeps a frame under 40 kbit/s on the wire', () => {
    expect(OPUS_ENCODER_CONFIG).toMatchObject({
      codec: 'opus',
      sampleRate: 16_000,
      numberOfChannels: 1,
      opus: { frameDuration: 20_000 },
    });
    // Per 20 ms frame: the packet, 6 bytes of WebSocket header (masked), 52 of TCP/IP.
    const bitsPerSecond = (((OPUS_ENCODER_CONFIG.bitrate as number) / 8 / 50 + 6 + 52) * 8 * 50) as number;
    expect(bitsPerSecond).toBeLessThanOrEqual(40_000);
  });

  it.each([
    ['the encoder is unsupported', { encoderSupported: false }],
    ['the decoder is unsupported', { decoderSupported: false }],
    ['isConfigSupported throws', { encoderSupported: 'throws' as const }],
  ])('offers only pcm16 when %s', async (_case, options) => {
    expect(await offerCodecs(fakeWebCodecs(options).webCodecs)).toEqual(['pcm16']);
  });

  it.each(['AudioEncoder', 'AudioDecoder', 'AudioData', 'EncodedAudioChunk'] as const)(
    'offers only pcm16 where %s is missing (no WebCodecs, or an insecure page)',
    async (missing) => {
      const { webCodecs } = fakeWebCodecs();
      expect(await offerCodecs({ ...webCodecs, [missing]: undefined })).toEqual(['pcm16']);
    },
  );

  it('creates the codec the gateway chose', () => {
    const { webCodecs } = fakeWebCodecs();
    expect(createCodec('opus', webCodecs, recordingOutput().output)).toBeInstanceOf(OpusCodec);
    expect(createCodec('pcm16', {}, recordingOutput().output)).toBeInstanceOf(Pcm16Codec);
  });
});

describe('Pcm16Codec', () => {
  it('sends the captured frame as it is and plays the body of a downlink frame without copying', () => {
    const recorded = recordingOutput();
    const codec: AudioCodec = new Pcm16Codec(recorded.output);
    const captured = frame(7);
    codec.encode(captured);
    expect(recorded.packets).toEqual([captured.buffer]);
    expect(recorded.packets[0]).toBe(captured.buffer);
    const downlink = new ArrayBuffer(4 + 640);
    codec.decode(9, new Uint8Array(downlink, 4));
    expect(recorded.frames[0]?.seq).toBe(9);
    expect(recorded.frames[0]?.pcm.buffer).toBe(downlink);
    expect(recorded.frames[0]?.pcm).toHaveLength(320);
    codec.close();
    codec.encode(frame(1));
    expect(recorded.packets).toHaveLength(1);
  });
});

describe('OpusCodec', () => {
  function opus(options?: Parameters<typeof fakeWebCodecs>[0]) {
    const fake = fakeWebCodecs(options);
    const recorded = recordingOutput();
    const codec = new OpusCodec(fake.webCodecs, recorded.output);
    return { ...fake, ...recorded, codec, encoder: fake.encoders[0]!, decoder: fake.decoders[0]! };
  }

  it('configures an encoder and a decoder for the call', () => {
    const { encoder, decoder } = opus();
    expect(encoder.state).toBe('configured');
    expect(encoder.config).toEqual(OPUS_ENCODER_CONFIG);
    expect(decoder.config).toEqual(OPUS_DECODER_CONFIG);
  });

  it('encodes each captured frame as 16-bit 16 kHz audio, 20 ms apart, and sends each packet as it comes', () => {
    const { codec, encoder, packets } = opus();
    codec.encode(frame(300));
    codec.encode(frame(301));
    expect(packets).toEqual([]);
    expect(encoder.queue.map((entry) => entry.timestamp)).toEqual([0, 20_000]);
    encoder.release();
    expect(packets.map((packet) => new Uint8Array(packet)[0])).toEqual([300 & 0xff, 301 & 0xff]);
    expect(packets.map((packet) => packet.byteLength)).toEqual([32, 32]);
  });

  it("decodes each packet with its seq as timestamp, and delivers 16 kHz PCM with the frame's seq", () => {
    const { codec, decoder, frames } = opus({ decodedRate: 48_000 });
    codec.decode(41, new Uint8Array([50, 1, 2]));
    codec.decode(42, new Uint8Array([25]));
    expect(decoder.queue.map((chunk) => chunk.timestamp)).toEqual([41 * 20_000, 42 * 20_000]);
    decoder.release();
    expect(frames.map(({ seq }) => seq)).toEqual([41, 42]);
    expect(frames.map(({ pcm }) => pcm.length)).toEqual([320, 320]);
    expect(frames[0]?.pcm.every((sample) => sample === 16_384)).toBe(true);
    expect(frames[1]?.pcm.every((sample) => sample === 8_192)).toBe(true);
  });

  it('keeps a decoder that delivers 16 kHz as it is', () => {
    const { codec, decoder, frames } = opus({ decodedRate: 16_000 });
    codec.decode(1, new Uint8Array([10]));
    decoder.release();
    expect(frames[0]?.pcm).toHaveLength(320);
  });

  it('drops frames rather than queue more than half a second in a stalled codec', () => {
    const { codec, encoder, decoder } = opus();
    for (let i = 0; i < 40; i++) codec.encode(frame(i));
    for (let i = 1; i <= 40; i++) codec.decode(i, new Uint8Array([1]));
    expect(encoder.queue).toHaveLength(25);
    expect(decoder.queue).toHaveLength(25);
  });

  it('close() closes both, once, and nothing is delivered afterwards', () => {
    const { codec, encoder, decoder, packets, frames } = opus();
    codec.encode(frame(1));
    codec.decode(1, new Uint8Array([1]));
    codec.close();
    codec.close();
    expect([encoder.state, decoder.state]).toEqual(['closed', 'closed']);
    encoder.release();
    decoder.release();
    codec.encode(frame(1));
    expect(packets).toEqual([]);
    expect(frames).toEqual([]);
  });

  it('reports a codec error once and closes itself', () => {
    const { codec, encoder, decoder, errors } = opus();
    const failure = new DOMException('decoding failed', 'EncodingError');
    decoder.error(failure);
    encoder.error(failure);
    expect(errors).toEqual([failure]);
    expect([encoder.state, decoder.state]).toEqual(['closed', 'closed']);
    expect(() => codec.decode(2, new Uint8Array([1]))).not.toThrow();
  });
});

describe('to16kHz', () => {
  it('keeps every third sample of 48 kHz audio, and every sample of 16 kHz audio', () => {
    const samples = Float32Array.from({ length: 960 }, (_, i) => (i % 3 === 0 ? 0.5 : -0.5));
    expect([...to16kHz(samples, 48_000)]).toEqual(new Array(320).fill(16_384));
    expect(to16kHz(new Float32Array(320).fill(0.25), 16_000)).toEqual(new Int16Array(320).fill(8_192));
  });

  it('interpolates between neighbours where the 16 kHz grid falls between samples (24 kHz)', () => {
    const ramp = Float32Array.from({ length: 480 }, (_, i) => i / 1000);
    const pcm = to16kHz(ramp, 24_000);
    expect(pcm).toHaveLength(320);
    expect(pcm[1]).toBe(Math.round(0.0015 * 32768));
  });

  it('clips to 16 bits', () => {
    expect([...to16kHz(Float32Array.of(2, -2), 16_000)]).toEqual([32767, -32768]);
  });
});
