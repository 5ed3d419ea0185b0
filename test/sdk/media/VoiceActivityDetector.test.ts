import { describe, expect, it } from 'vitest';
import { VoiceActivityDetector } from '../../../src/media/dsp/VoiceActivityDetector.ts';
import { sine } from './signals.ts';

/** `ms` of a 16 kHz tone whose RMS level is `dbfs`. */
function tone(dbfs: number, ms: number): Float32Array {
  return sine(440, 16_000, ms / 1000, Math.SQRT2 * 10 ** (dbfs / 20));
}

const silence = (ms: number) => new Float32Array((16_000 * ms) / 1000);

/** The state after each 20 ms window of `samples`. */
function states(detector: VoiceActivityDetector, samples: Float32Array): boolean[] {
  const result: boolean[] = [];
  for (let start = 0; start < samples.length; start += 320) result.push(detector.push(samples.subarray(start, start + 320)));
  return result;
}

describe('VoiceActivityDetector', () => {
  it('starts after two loud 20 ms windows, not after one', () => {
    const detector = new VoiceActivityDetector();
    expect(states(detector, tone(-30, 20))).toEqual([false]);
    expect(states(detector, silence(20))).toEqual([false]);
    expect(states(detector, tone(-30, 40))).toEqual([false, true]);
  });

  it('ignores audio below the start level', () => {
    const detector = new VoiceActivityDetector();
    expect(states(detector, tone(-45, 1000))).not.toContain(true);
  });

  it('keeps speaking through a pause between words, and stops after 400 ms of quiet', () => {
    const detector = new VoiceActivityDetector();
    states(detector, tone(-25, 300));
    expect(states(detector, silence(300))).not.toContain(false);
    states(detector, tone(-25, 100));
    const quiet = states(detector, silence(500));
    expect(quiet.indexOf(false)).toBe(19);
  });

  it('has hysteresis: a level too low to start keeps speech going', () => {
    const detector = new VoiceActivityDetector();
    states(detector, tone(-25, 100));
    expect(states(detector, tone(-45, 1000))).not.toContain(false);
  });

  it('judges whole windows whatever the block size', () => {
    const detector = new VoiceActivityDetector();
    const audio = tone(-30, 100);
    let speaking = false;
    for (let start = 0; start < audio.length; start += 46) speaking = detector.push(audio.subarray(start, start + 46));
    expect(speaking).toBe(true);
  });

  it('forgets everything on reset()', () => {
    const detector = new VoiceActivityDetector();
    states(detector, tone(-25, 100));
    detector.reset();
    expect(detector.speaking).toBe(false);
    expect(states(detector, tone(-25, 20))).toEqual([false]);
  });
});
