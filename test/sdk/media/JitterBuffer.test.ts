import { describe, expect, it } from 'vitest';
import { JitterBuffer, MAX_DEPTH } from '../../../src/media/dsp/JitterBuffer.ts';
import { pcmFrames, sine } from './signals.ts';

/** Ten 20 ms frames of a loud 400 Hz tone. */
const FRAMES = pcmFrames(sine(400, 16_000, 0.2, 0.8));

/** Reads `samples` samples in blocks of 46, about one 128-sample quantum at 44.1 kHz. */
function play(buffer: JitterBuffer, samples: number): Float32Array {
  const output = new Float32Array(samples);
  for (let start = 0; start < samples; start += 46) buffer.read(output.subarray(start, Math.min(samples, start + 46)));
  return output;
}

const maxStep = (samples: Float32Array) => Math.max(...samples.slice(1).map((sample, i) => Math.abs(sample - samples[i]!)));
/** The largest step between neighbouring samples of the 400 Hz tone at full level. */
const TONE_STEP = 0.8 * 2 * Math.sin((Math.PI * 400) / 16_000);

describe('JitterBuffer', () => {
  it('plays silence until a frame is buffered, then the frame, faded in', () => {
    const buffer = new JitterBuffer();
    expect(play(buffer, 100).every((sample) => sample === 0)).toBe(true);
    buffer.push(FRAMES[0]!);
    buffer.push(FRAMES[1]!);
    expect(buffer.depth).toBe(640);
    const output = play(buffer, 320);
    expect(buffer.depth).toBe(320);
    expect(Math.abs(output[0]!)).toBeLessThan(0.01);
    expect(output[200]).toBeCloseTo(FRAMES[0]![200]! / 32768, 4);
  });

  it('ramps down when it runs dry, so the stop does not click', () => {
    const buffer = new JitterBuffer();
    for (const frame of FRAMES.slice(0, 3)) buffer.push(frame);
    const output = play(buffer, 1_200);
    expect(buffer.depth).toBe(0);
    expect(output.subarray(960 + 80).every((sample) => sample === 0)).toBe(true);
    expect(maxStep(output)).toBeLessThanOrEqual(TONE_STEP * 1.01);
  });

  it('ramps down also when it ran dry exactly at the end of a read', () => {
    const buffer = new JitterBuffer();
    buffer.push(FRAMES[0]!);
    const frame = new Float32Array(320);
    buffer.read(frame);
    const next = new Float32Array(100);
    buffer.read(next);
    expect(maxStep(Float32Array.of(frame[319]!, ...next))).toBeLessThanOrEqual(TONE_STEP);
    expect(next.subarray(80).every((sample) => sample === 0)).toBe(true);
  });

  it('raises its target by a frame for each late frame, up to 60 ms', () => {
    const buffer = new JitterBuffer();
    expect(buffer.target).toBe(320);
    for (const expected of [640, 960, 960]) {
      for (const frame of FRAMES.slice(0, 3)) buffer.push(frame);
      play(buffer, 960 + 1_600); // plays the frames, then waits 100 ms for the next one
      buffer.push(FRAMES[3]!);
      expect(buffer.target).toBe(expected);
      buffer.clear();
    }
  });

  it('does not count the first frame of a new utterance as late', () => {
    const buffer = new JitterBuffer();
    buffer.push(FRAMES[0]!);
    play(buffer, 320 + 8_000);
    buffer.push(FRAMES[1]!);
    expect(buffer.target).toBe(320);
    expect([buffer.late, buffer.concealed]).toEqual([0, 0]);
  });

  it('counts a late frame once per gap, and the silence played in the gap in 20 ms frames', () => {
    const buffer = new JitterBuffer();
    buffer.push(FRAMES[0]!);
    play(buffer, 320 + 1_600); // ran dry, then 100 ms of silence
    buffer.push(FRAMES[1]!);
    buffer.push(FRAMES[2]!);
    expect([buffer.late, buffer.concealed]).toEqual([1, 5]);
    play(buffer, 640 + 100); // a short gap still counts a frame
    buffer.push(FRAMES[3]!);
    expect([buffer.late, buffer.concealed]).toEqual([2, 6]);
  });

  it('waits for its target before restarting after a late frame', () => {
    const buffer = new JitterBuffer();
    buffer.push(FRAMES[0]!);
    play(buffer, 640);
    buffer.push(FRAMES[1]!);
    expect(play(buffer, 320).every((sample) => sample === 0)).toBe(true);
    buffer.push(FRAMES[2]!);
    expect(play(buffer, 320).some((sample) => sample !== 0)).toBe(true);
  });

  it('clear() drops everything at once behind a 5 ms ramp', () => {
    const buffer = new JitterBuffer();
    for (const frame of FRAMES) buffer.push(frame);
    const before = play(buffer, 500);
    buffer.clear();
    expect(buffer.depth).toBe(0);
    const after = play(buffer, 400);
    expect(after.subarray(80).every((sample) => sample === 0)).toBe(true);
    expect(maxStep(Float32Array.of(...before.slice(-1), ...after))).toBeLessThanOrEqual(TONE_STEP * 1.01);
  });

  it('plays frames in order without gaps while they keep coming', () => {
    const buffer = new JitterBuffer();
    const played: number[] = [];
    for (const frame of FRAMES) {
      buffer.push(frame);
      played.push(...play(buffer, 320));
    }
    const expected = FRAMES.flatMap((frame) => [...frame].map((sample) => sample / 32768));
    expect(played.slice(80, -80).map((sample) => sample.toFixed(4))).toEqual(
      expected.slice(80, -80).map((sample) => sample.toFixed(4)),
    );
  });
});

describe('JitterBuffer against a flooding gateway', () => {
  it('queues at most 3 s of audio and drops frames beyond, then plays on', () => {
    const buffer = new JitterBuffer();
    // Ten minutes of 20 ms frames at once.
    const frame = new Int16Array(320).fill(1000);
    for (let i = 0; i < 30_000; i += 1) buffer.push(frame);
    expect(buffer.depth).toBe(MAX_DEPTH);
    expect(MAX_DEPTH).toBe(3 * 16_000);
    play(buffer, 16_000);
    expect(buffer.depth).toBe(MAX_DEPTH - 16_000);
    buffer.push(frame);
    expect(buffer.depth).toBe(MAX_DEPTH - 16_000 + 320);
  });
});
