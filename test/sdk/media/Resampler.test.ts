import { describe, expect, it } from 'vitest';
import { Resampler } from '../../../src/media/dsp/Resampler.ts';
import { rms, sine, toneAmplitude, zeroCrossingFrequency } from './signals.ts';

/** Runs `input` through a resampler in 128-sample blocks, as an AudioWorklet would. */
function resample(input: Float32Array, inputRate: number, outputRate: number): Float32Array {
  const resampler = new Resampler(inputRate, outputRate);
  const output = new Float32Array(Math.ceil((input.length * outputRate) / inputRate) + 1);
  let produced = 0;
  for (let start = 0; start < input.length; start += 128) {
    resampler.write(input.subarray(start, start + 128));
    produced += resampler.read(output.subarray(produced));
  }
  return output.subarray(0, produced);
}

/** Drops the first and last 20 ms, where the filter is filling or the input ends. */
function steady(samples: Float32Array, rate: number): Float32Array {
  const edge = Math.round(rate * 0.02);
  return samples.subarray(edge, samples.length - edge);
}

describe('Resampler', () => {
  describe.each([44_100, 48_000])('from %i Hz to 16 kHz', (rate) => {
    it('produces 16 000 samples per second of input', () => {
      const output = resample(sine(1_000, rate, 1), rate, 16_000);
      expect(Math.abs(output.length - 16_000)).toBeLessThanOrEqual(200);
    });

    it.each([300, 1_000, 3_400, 6_500])('keeps a %i Hz tone at its frequency (within 1 %) and level', (frequency) => {
      const output = steady(resample(sine(frequency, rate, 1), rate, 16_000), 16_000);
      expect(Math.abs(zeroCrossingFrequency(output, 16_000) / frequency - 1)).toBeLessThan(0.01);
      expect(20 * Math.log10(rms(output) / rms(sine(frequency, rate, 1)))).toBeGreaterThan(-0.5);
    });

    it.each([8_200, 9_000, 12_000, 20_000])('attenuates a %i Hz tone by at least 40 dB instead of aliasing it', (frequency) => {
      const input = sine(frequency, rate, 1);
      const output = steady(resample(input, rate, 16_000), 16_000);
      expect(20 * Math.log10(rms(output) / rms(input))).toBeLessThan(-40);
    });
  });

  describe.each([44_100, 48_000])('from 16 kHz to %i Hz', (rate) => {
    it('keeps a 1 kHz tone at its frequency and level', () => {
      const input = sine(1_000, 16_000, 1);
      const output = steady(resample(input, 16_000, rate), rate);
      expect(Math.abs(zeroCrossingFrequency(output, rate) / 1_000 - 1)).toBeLessThan(0.01);
      expect(Math.abs(20 * Math.log10(rms(output) / rms(input)))).toBeLessThan(0.1);
    });

    it('leaves no image above 8 kHz', () => {
      // A 6.5 kHz tone at 16 kHz has its first image at 9.5 kHz.
      const output = steady(resample(sine(6_500, 16_000, 1), 16_000, rate), rate);
      expect(20 * Math.log10(toneAmplitude(output, 9_500, rate) / toneAmplitude(output, 6_500, rate))).toBeLessThan(-40);
    });
  });

  it('tells how much input a number of output samples needs', () => {
    const resampler = new Resampler(16_000, 44_100);
    const output = new Float32Array(128);
    for (let block = 0; block < 100; block += 1) {
      resampler.write(sine(500, 16_000, 1).subarray(0, resampler.inputNeeded(128)));
      expect(resampler.read(output)).toBe(128);
      expect(resampler.inputNeeded(128)).toBeGreaterThan(0);
    }
  });
});
