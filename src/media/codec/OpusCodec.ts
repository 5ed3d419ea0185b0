import { FRAME_MS, SAMPLE_RATE } from '../../contract/voice.js';
import { to16kHz } from '../dsp/to16kHz.ts';
import type { AudioCodec, CodecOutput } from './AudioCodec.ts';

/** The WebCodecs classes a codec needs, from the scope it runs in; absent where it has none. */
export interface WebCodecs {
  AudioEncoder?: typeof AudioEncoder;
  AudioDecoder?: typeof AudioDecoder;
  AudioData?: typeof AudioData;
  EncodedAudioChunk?: typeof EncodedAudioChunk;
}

const FRAME_US = FRAME_MS * 1000;

/**
 * The rep's Opus: 16 kHz mono in 20 ms packets at 12 kbit/s, plenty for speech (wideband), so
 * that a frame with its WebSocket and TCP/IP headers stays under 40 kbit/s on the wire.
 */
export const OPUS_ENCODER_CONFIG: AudioEncoderConfig = {
  codec: 'opus',
  sampleRate: SAMPLE_RATE,
  numberOfChannels: 1,
  bitrate: 12_000,
  opus: { frameDuration: FRAME_US },
};

/** The persona's Opus, as the gateway encodes it (docs/protocol.md, section 4). */
export const OPUS_DECODER_CONFIG: AudioDecoderConfig = { codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 };

/** Frames the encoder or the decoder may hold before more are dropped (0.5 s): a stalled codec hoards nothing. */
const MAX_QUEUED_FRAMES = 25;

/**
 * Opus through WebCodecs. Each persona packet is decoded with its `seq` as timestamp, so the
 * decoded frame is delivered with the `seq` it came from. Decoders may deliver another rate
 * than asked (Chromium decodes Opus at 48 kHz): see {@link to16kHz}.
 */
export class OpusCodec implements AudioCodec {
  readonly name = 'opus';
  readonly #webCodecs: Required<WebCodecs>;
  readonly #output: CodecOutput;
  readonly #encoder: AudioEncoder;
  readonly #decoder: AudioDecoder;
  #timestamp = 0;
  #closed = false;

  /** @param webCodecs - classes whose Opus support `offerCodecs` has confirmed. */
  constructor(webCodecs: Required<WebCodecs>, output: CodecOutput) {
    this.#webCodecs = webCodecs;
    this.#output = output;
    const error = (cause: DOMException) => {
      if (this.#closed) return;
      this.close();
      output.onError(cause);
    };
    this.#encoder = new webCodecs.AudioEncoder({ output: (chunk) => this.#encoded(chunk), error });
    this.#encoder.configure(OPUS_ENCODER_CONFIG);
    this.#decoder = new webCodecs.AudioDecoder({ output: (data) => this.#decoded(data), error });
    this.#decoder.configure(OPUS_DECODER_CONFIG);
  }

  encode(pcm: Int16Array<ArrayBuffer>): void {
    if (this.#closed || this.#encoder.encodeQueueSize >= MAX_QUEUED_FRAMES) return;
    const data = new this.#webCodecs.AudioData({
      format: 's16',
      sampleRate: SAMPLE_RATE,
      numberOfChannels: 1,
      numberOfFrames: pcm.length,
      timestamp: this.#timestamp,
      data: pcm,
    });
    this.#timestamp += FRAME_US;
    try {
      this.#encoder.encode(data);
    } finally {
      data.close();
    }
  }

  decode(seq: number, body: Uint8Array): void {
    if (this.#closed || this.#decoder.decodeQueueSize >= MAX_QUEUED_FRAMES) return;
    this.#decoder.decode(new this.#webCodecs.EncodedAudioChunk({ type: 'key', timestamp: seq * FRAME_US, data: body }));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const codec of [this.#encoder, this.#decoder]) if (codec.state !== 'closed') codec.close();
  }

  #encoded(chunk: EncodedAudioChunk): void {
    const packet = new ArrayBuffer(chunk.byteLength);
    chunk.copyTo(packet);
    this.#output.onPacket(packet);
  }

  #decoded(data: AudioData): void {
    try {
      const samples = new Float32Array(data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      this.#output.onPcm(to16kHz(samples, data.sampleRate), Math.round(data.timestamp / FRAME_US));
    } finally {
      data.close();
    }
  }
}
