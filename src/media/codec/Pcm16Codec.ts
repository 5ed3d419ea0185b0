import type { AudioCodec, CodecOutput } from './AudioCodec.ts';

/** `pcm16`: frames travel as they are captured and played, so nothing is copied. */
export class Pcm16Codec implements AudioCodec {
  readonly name = 'pcm16';
  #output: CodecOutput | undefined;

  constructor(output: CodecOutput) {
    this.#output = output;
  }

  encode(pcm: Int16Array<ArrayBuffer>): void {
    this.#output?.onPacket(pcm.byteLength === pcm.buffer.byteLength ? pcm.buffer : pcm.slice().buffer);
  }

  decode(seq: number, body: Uint8Array): void {
    this.#output?.onPcm(new Int16Array(body.buffer, body.byteOffset, body.byteLength / 2), seq);
  }

  close(): void {
    this.#output = undefined;
  }
}
