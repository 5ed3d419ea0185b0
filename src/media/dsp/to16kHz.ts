import { SAMPLE_RATE } from '../../contract/voice.js';
import { toPcm16 } from './pcm16.ts';

/**
 * A decoded frame as 16-bit PCM at 16 kHz. The persona was encoded from 16 kHz audio, so a
 * decoder's output at a higher rate holds nothing above 8 kHz (Opus keeps to the bandwidth of
 * its input): picking the samples that fall on the 16 kHz grid, by linear interpolation between
 * neighbours where they do not, needs no further filter.
 */
export function to16kHz(samples: Float32Array, rate: number): Int16Array {
  const step = rate / SAMPLE_RATE;
  const pcm = new Int16Array(Math.floor(samples.length / step));
  for (let i = 0; i < pcm.length; i += 1) {
    const position = i * step;
    const index = Math.floor(position);
    const next = samples[Math.min(index + 1, samples.length - 1)]!;
    pcm[i] = toPcm16(samples[index]! + (next - samples[index]!) * (position - index));
  }
  return pcm;
}
