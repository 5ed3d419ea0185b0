import { vi } from 'vitest';
import type { WebCodecs } from '../../../src/media/codec/OpusCodec.ts';

/** What {@link fakeWebCodecs} is told about the browser. */
export interface FakeWebCodecsOptions {
  /** What `isConfigSupported` answers for the encoder and the decoder; `'throws'` rejects. */
  encoderSupported?: boolean | 'throws';
  decoderSupported?: boolean;
  /** The rate the decoder delivers at (Chromium decodes Opus at 48 kHz). */
  decodedRate?: number;
}

/**
 * WebCodecs for unit tests. The "encoder" turns a frame of N samples into a packet of N / 10
 * bytes, each the frame's first sample modulo 256; the "decoder" turns a packet back into a
 * frame at `decodedRate` whose every sample is the packet's first byte / 100. Work stays queued
 * until the test calls `release()` on the encoder or decoder, as a codec running in another
 * thread would deliver it later.
 */
export function fakeWebCodecs({
  encoderSupported = true,
  decoderSupported = true,
  decodedRate = 48_000,
}: FakeWebCodecsOptions = {}) {
  const encoders: FakeEncoder[] = [];
  const decoders: FakeDecoder[] = [];

  class FakeAudioData {
    readonly format: AudioSampleFormat;
    readonly sampleRate: number;
    readonly numberOfFrames: number;
    readonly numberOfChannels: number;
    readonly timestamp: number;
    readonly samples: Float32Array;
    closed = false;
    constructor(init: AudioDataInit & { data: Int16Array | Float32Array }) {
      this.format = init.format;
      this.sampleRate = init.sampleRate;
      this.numberOfFrames = init.numberOfFrames;
      this.numberOfChannels = init.numberOfChannels;
      this.timestamp = init.timestamp;
      this.samples = Float32Array.from(init.data, (sample) => (init.format === 's16' ? sample / 32768 : sample));
    }
    copyTo(destination: Float32Array, options: AudioDataCopyToOptions): void {
      if (options.format !== 'f32-planar' || options.planeIndex !== 0) throw new Error('unsupported copy');
      destination.set(this.samples);
    }
    close(): void {
      this.closed = true;
    }
  }

  class FakeChunk {
    readonly type: EncodedAudioChunkType;
    readonly timestamp: number;
    readonly bytes: Uint8Array;
    constructor(init: EncodedAudioChunkInit) {
      this.type = init.type;
      this.timestamp = init.timestamp;
      const { data } = init;
      this.bytes = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
        : new Uint8Array(data as ArrayBuffer).slice();
    }
    get byteLength(): number {
      return this.bytes.byteLength;
    }
    copyTo(destination: ArrayBuffer): void {
      new Uint8Array(destination).set(this.bytes);
    }
  }

  abstract class FakeCodec<In, Out> {
    state: CodecState = 'unconfigured';
    config: unknown;
    readonly queue: In[] = [];
    readonly #output: (out: Out) => void;
    readonly error: (error: DOMException) => void;
    constructor({ output, error }: { output: (out: Out) => void; error: (error: DOMException) => void }) {
      this.#output = output;
      this.error = error;
    }
    configure(config: unknown): void {
      this.config = config;
      this.state = 'configured';
    }
    close(): void {
      this.state = 'closed';
    }
    /** Delivers the outputs of everything queued, in order. */
    release(): void {
      for (const input of this.queue.splice(0)) if (this.state === 'configured') this.#output(this.work(input));
    }
    protected abstract work(input: In): Out;
  }

  class FakeEncoder extends FakeCodec<{ first: number; length: number; timestamp: number }, FakeChunk> {
    static isConfigSupported = vi.fn(async (config: AudioEncoderConfig) => {
      if (encoderSupported === 'throws') throw new TypeError('bad config');
      return { supported: encoderSupported, config };
    });
    constructor(init: { output: (out: FakeChunk) => void; error: (error: DOMException) => void }) {
      super(init);
      encoders.push(this);
    }
    get encodeQueueSize(): number {
      return this.queue.length;
    }
    encode(data: FakeAudioData): void {
      if (data.closed) throw new Error('encode of a closed AudioData');
      this.queue.push({
        first: Math.round((data.samples[0] ?? 0) * 32768),
        length: data.numberOfFrames,
        timestamp: data.timestamp,
      });
    }
    protected work({ first, length, timestamp }: { first: number; length: number; timestamp: number }): FakeChunk {
      return new FakeChunk({ type: 'key', timestamp, data: new Uint8Array(length / 10).fill(first & 0xff) });
    }
  }

  class FakeDecoder extends FakeCodec<FakeChunk, FakeAudioData> {
    static isConfigSupported = vi.fn(async (config: AudioDecoderConfig) => ({ supported: decoderSupported, config }));
    constructor(init: { output: (out: FakeAudioData) => void; error: (error: DOMException) => void }) {
      super(init);
      decoders.push(this);
    }
    get decodeQueueSize(): number {
      return this.queue.length;
    }
    decode(chunk: FakeChunk): void {
      this.queue.push(chunk);
    }
    protected work(chunk: FakeChunk): FakeAudioData {
      const frames = (decodedRate / 1000) * 20;
      const data = new Float32Array(frames).fill((chunk.bytes[0] ?? 0) / 100);
      return new FakeAudioData({
        format: 'f32',
        sampleRate: decodedRate,
        numberOfFrames: frames,
        numberOfChannels: 1,
        timestamp: chunk.timestamp,
        data,
      });
    }
  }

  const webCodecs = {
    AudioEncoder: FakeEncoder,
    AudioDecoder: FakeDecoder,
    AudioData: FakeAudioData,
    EncodedAudioChunk: FakeChunk,
  } as unknown as Required<WebCodecs>;
  return { webCodecs, encoders, decoders, FakeEncoder, FakeDecoder };
}
