import { describe, expect, it } from 'vitest';
import { CapturePipeline } from '../../../src/media/worklet/CapturePipeline.ts';
import { sine, zeroCrossingFrequency } from './signals.ts';

function capture(rate: number, input: Float32Array) {
  const frames: ArrayBuffer[] = [];
  const speaking: boolean[] = [];
  const pipeline = new CapturePipeline(rate, {
    onFrame: (frame) => frames.push(frame),
    onSpeakingChange: (value) => speaking.push(value),
  });
  for (let start = 0; start < input.length; start += 128) pipeline.push(input.subarray(start, start + 128));
  return { frames, speaking, pipeline };
}

describe('CapturePipeline', () => {
  it.each([44_100, 48_000])('turns 1 s at %i Hz into 50 frames of 20 ms of 16 kHz PCM', (rate) => {
    const { frames } = capture(rate, sine(440, rate, 1));
    expect(frames.length).toBeGreaterThanOrEqual(49);
    expect(frames.length).toBeLessThanOrEqual(50);
    expect(new Set(frames.map((frame) => frame.byteLength))).toEqual(new Set([640]));
    const pcm = Float32Array.from(
      frames.flatMap((frame) => [...new Int16Array(frame)]),
      (sample) => sample / 32768,
    );
    expect(Math.abs(zeroCrossingFrequency(pcm.subarray(320), 16_000) / 440 - 1)).toBeLessThan(0.01);
  });

  it('hands over a new buffer with every frame', () => {
    const { frames } = capture(48_000, sine(440, 48_000, 0.1));
    expect(new Set(frames).size).toBe(frames.length);
  });

  it('reports voice activity on change only', () => {
    const audio = new Float32Array(48_000 * 2);
    audio.set(sine(440, 48_000, 0.5, 0.3), 48_000 / 2);
    expect(capture(48_000, audio).speaking).toEqual([true, false]);
  });

  it('drops a partly filled frame on reset()', () => {
    const { frames, pipeline } = capture(16_000, new Float32Array(300));
    pipeline.reset();
    pipeline.push(new Float32Array(300));
    expect(frames).toEqual([]);
  });
});
