import type { Codec } from '../../contract/voice.js';
import type { AudioCodec, CodecOutput } from './AudioCodec.ts';
import { OPUS_DECODER_CONFIG, OPUS_ENCODER_CONFIG, OpusCodec, type WebCodecs } from './OpusCodec.ts';
import { Pcm16Codec } from './Pcm16Codec.ts';

/**
 * The codecs this scope can run, most preferred first, for `auth` and `resume`
 * (docs/protocol.md, section 4): `opus` when WebCodecs can both encode and decode it, as
 * `isConfigSupported` says at run time; `pcm16` always.
 */
export async function offerCodecs(webCodecs: WebCodecs): Promise<Codec[]> {
  return (await runsOpus(webCodecs)) ? ['opus', 'pcm16'] : ['pcm16'];
}

async function runsOpus({ AudioEncoder, AudioDecoder, AudioData, EncodedAudioChunk }: WebCodecs): Promise<boolean> {
  if (!AudioEncoder || !AudioDecoder || !AudioData || !EncodedAudioChunk) return false;
  try {
    const [encoder, decoder] = await Promise.all([
      AudioEncoder.isConfigSupported(OPUS_ENCODER_CONFIG),
      AudioDecoder.isConfigSupported(OPUS_DECODER_CONFIG),
    ]);
    return encoder.supported === true && decoder.supported === true;
  } catch {
    return false;
  }
}

/** The codec `name` (one that {@link offerCodecs} offered), delivering to `output`. */
export function createCodec(name: Codec, webCodecs: WebCodecs, output: CodecOutput): AudioCodec {
  return name === 'opus' ? new OpusCodec(webCodecs as Required<WebCodecs>, output) : new Pcm16Codec(output);
}
