import { describe, expect, it } from 'vitest';
import { PlaybackPipeline } from '../../../src/media/worklet/PlaybackPipeline.ts';
import { pcmFrames, rms, sine, zeroCrossingFrequency } from './signals.ts';

/** Renders `quanta` blocks of 128 samples. */
function render(pipeline: PlaybackPipeline, quanta: number): Float32Array {
  const output = new Float32Array(quanta * 128);
  for (let quantum = 0; quantum < quanta; quantum += 1) pipeline.render(output.subarray(quantum * 128, (quantum + 1) * 128));
  return output;
}

describe('PlaybackPipeline', () => {
  it.each([44_100, 48_000])('plays 16 kHz frames at %i Hz, at the same pitch', (rate) => {
    const pipeline = new PlaybackPipeline(rate, () => undefined);
    for (const frame of pcmFrames(sine(500, 16_000, 0.5))) pipeline.push(frame);
    const output = render(pipeline, Math.floor((rate * 0.4) / 128));
    expect(Math.abs(zeroCrossingFrequency(output.subarray(rate * 0.05), rate) / 500 - 1)).toBeLessThan(0.01);
    expect(rms(output.subarray(rate * 0.05))).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('reports speaking from what it plays, with the hang time, on change only', () => {
    const speaking: boolean[] = [];
    const pipeline = new PlaybackPipeline(44_100, (value) => speaking.push(value));
    for (const frame of pcmFrames(sine(500, 16_000, 0.3))) pipeline.push(frame);
    render(pipeline, Math.ceil((44_100 * 0.1) / 128));
    expect(speaking).toEqual([true]);
    render(pipeline, Math.ceil((44_100 * 0.5) / 128));
    expect(speaking).toEqual([true]);
    render(pipeline, Math.ceil((44_100 * 0.3) / 128));
    expect(speaking).toEqual([true, false]);
  });

  it('goes silent at once on clear(), and reports the persona silent at once', () => {
    const speaking: boolean[] = [];
    const pipeline = new PlaybackPipeline(48_000, (value) => speaking.push(value));
    for (const frame of pcmFrames(sine(500, 16_000, 1))) pipeline.push(frame);
    render(pipeline, 40);
    pipeline.clear();
    expect(speaking).toEqual([true, false]);
    const after = render(pipeline, 100);
    expect(after.subarray(480).every((sample) => Math.abs(sample) < 1e-3)).toBe(true); // silent within 10 ms
    expect(speaking).toEqual([true, false]);
    pipeline.clear();
    expect(speaking).toEqual([true, false]);
  });

  it("exposes the jitter buffer's depth and counters", () => {
    const pipeline = new PlaybackPipeline(48_000, () => undefined);
    const [first, second] = pcmFrames(sine(500, 16_000, 0.04));
    pipeline.push(first!);
    expect(pipeline.counters()).toEqual({ depth: 320, late: 0, concealed: 0 });
    render(pipeline, 60); // 160 ms: runs dry after 20 ms
    pipeline.push(second!);
    expect(pipeline.counters()).toMatchObject({ late: 1, concealed: 7 });
  });
});
