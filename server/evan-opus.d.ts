/**
 * Types of the part of `@evan/opus` the gateway loads: its WebAssembly build (the package
 * declares only its main entry). A CommonJS module: `module.exports` is the default import.
 */
declare module '@evan/opus/wasm/index.js' {
  type SampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

  /** An Opus decoder in the wasm heap; `drop()` frees it. */
  class Decoder {
    constructor(options: { channels: 1 | 2; sample_rate: SampleRate });
    /** The decoded 16-bit PCM of one packet, as a new array; throws for a corrupt packet. */
    decode(packet: ArrayBufferView): Uint8Array;
    ctl(request: number, value?: number): number;
    drop(): void;
  }

  /** An Opus encoder in the wasm heap; `drop()` frees it. */
  class Encoder {
    constructor(options: { channels: 1 | 2; sample_rate: SampleRate; application: 'voip' | 'audio' | 'restricted_lowdelay' });
    /** One packet from one frame of 16-bit PCM. */
    encode(pcm: ArrayBufferView): Uint8Array;
    ctl(request: number, value?: number): number;
    drop(): void;
  }

  const opus: { Decoder: typeof Decoder; Encoder: typeof Encoder };
  export default opus;
}
