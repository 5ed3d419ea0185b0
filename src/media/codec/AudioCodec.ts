import type { Codec } from '../../contract/voice.js';

/** Where a codec delivers what it produced. */
export interface CodecOutput {
  /** One encoded uplink frame, ready to send. */
  onPacket(packet: ArrayBuffer): void;
  /** The persona frame `seq`, decoded: 16-bit mono PCM at 16 kHz. */
  onPcm(pcm: Int16Array, seq: number): void;
  /** The codec failed and can do no more. */
  onError(error: unknown): void;
}

/**
 * The audio codec of one call, in both directions: it encodes the rep's frames and decodes the
 * persona's. Its results come through {@link CodecOutput}, at once or later, in order.
 */
export interface AudioCodec {
  readonly name: Codec;
  /** Encodes one 20 ms frame of 16-bit mono PCM at 16 kHz; the frame is handed over. */
  encode(pcm: Int16Array<ArrayBuffer>): void;
  /** Decodes the body of the persona frame `seq` (already checked to fit the codec). */
  decode(seq: number, body: Uint8Array): void;
  /** Releases the codec; nothing is delivered afterwards. Idempotent. */
  close(): void;
}
