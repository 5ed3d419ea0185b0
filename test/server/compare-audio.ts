import { OpusDecoder } from '../../server/opus.js';

/** Samples of PCM16 buffers laid end to end. */
export function samples(frames: Buffer[]): Int16Array {
  const pcm = Buffer.concat(frames);
  return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
}

/** Decodes Opus packets in order with one decoder, as a client would. */
export function decodeOpus(packets: Buffer[]): Int16Array {
  const decoder = new OpusDecoder();
  try {
    return samples(packets.map((packet) => Buffer.from(decoder.decode(packet).buffer)));
  } finally {
    decoder.close();
  }
}

/**
 * How alike `decoded` is to `reference`: the waveforms' correlation (−1 to 1) at the lag, up to
 * `maxLag` samples, at which `decoded` lines up best. Opus delays its output by its lookahead
 * (6.5 ms, 104 samples at 16 kHz).
 */
export function waveformMatch(reference: Int16Array, decoded: Int16Array, maxLag = 160): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = 0; lag <= maxLag; lag += 1) {
    const n = Math.min(reference.length, decoded.length - lag);
    let cross = 0;
    let refEnergy = 0;
    let decEnergy = 0;
    for (let i = 0; i < n; i += 1) {
      const x = reference[i]!;
      const y = decoded[i + lag]!;
      cross += x * y;
      refEnergy += x * x;
      decEnergy += y * y;
    }
    const r = refEnergy && decEnergy ? cross / Math.sqrt(refEnergy * decEnergy) : 0;
    if (r > best.r) best = { r, lag };
  }
  return best;
}
