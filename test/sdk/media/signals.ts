/** Test signals and measurements for the DSP tests. */

/** `seconds` of a sine at `frequency` Hz, amplitude `amplitude`, sampled at `rate`. */
export function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i += 1) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return samples;
}

/** 16-bit PCM frames of 320 samples of `samples` (-1 to 1). */
export function pcmFrames(samples: Float32Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let start = 0; start + 320 <= samples.length; start += 320) {
    frames.push(Int16Array.from(samples.subarray(start, start + 320), (sample) => Math.round(sample * 32767)));
  }
  return frames;
}

/** Root mean square. */
export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/**
 * The frequency of a periodic signal from its rising zero crossings, each placed between two
 * samples by linear interpolation: whole cycles divided by the time they took.
 */
export function zeroCrossingFrequency(samples: Float32Array, rate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i += 1) {
    const before = samples[i - 1]!;
    const after = samples[i]!;
    if (before < 0 && after >= 0) crossings.push(i - 1 + before / (before - after));
  }
  const cycles = crossings.length - 1;
  return (cycles * rate) / (crossings.at(-1)! - crossings[0]!);
}

/** The amplitude of the component of `samples` at `frequency` (one bin of a DFT). */
export function toneAmplitude(samples: Float32Array, frequency: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < samples.length; n += 1) {
    re += samples[n]! * Math.cos((2 * Math.PI * frequency * n) / rate);
    im += samples[n]! * Math.sin((2 * Math.PI * frequency * n) / rate);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}
