import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudioLevel, levelOfRms } from '../../../src/media/AudioLevel.ts';
import { canChooseSpeaker, checkSpeaker, listSpeakers } from '../../../src/media/speakers.ts';
import { fakeMediaEnv } from './fakeMediaEnv.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('levelOfRms()', () => {
  it('maps -60 dBFS and below to 0, full scale to 1, linearly in decibels between', () => {
    expect(levelOfRms(0)).toBe(0);
    expect(levelOfRms(Number.NaN)).toBe(0);
    expect(levelOfRms(0.0005)).toBe(0);
    expect(levelOfRms(0.001)).toBeCloseTo(0, 10);
    expect(levelOfRms(0.01)).toBeCloseTo(1 / 3);
    expect(levelOfRms(0.1)).toBeCloseTo(2 / 3);
    expect(levelOfRms(1)).toBe(1);
    expect(levelOfRms(2)).toBe(1);
  });

  it('AudioLevel reads the RMS of the analyser’s window from every source it listens to', () => {
    const { created, FakeAudioContext } = fakeMediaEnv();
    const context = new FakeAudioContext() as unknown as AudioContext;
    const level = new AudioLevel(context);
    const analyser = created.analysers[0]!;
    expect(analyser.fftSize).toBe(1024);
    const source = { connect: vi.fn() } as unknown as AudioNode;
    level.listenTo(source);
    expect(source.connect).toHaveBeenCalledWith(analyser);
    analyser.amplitude = -0.1;
    expect(level.read()).toBeCloseTo(2 / 3);
  });
});

describe('speakers', () => {
  it('canChooseSpeaker() is whether <audio> has setSinkId', () => {
    const { env } = fakeMediaEnv();
    expect(canChooseSpeaker(env)).toBe(true);
    expect(canChooseSpeaker({ ...env, window: { HTMLMediaElement: { prototype: {} } } } as never)).toBe(false);
  });

  it('listSpeakers() lists the audio outputs', async () => {
    const { context } = fakeMediaEnv();
    expect(await listSpeakers(context)).toEqual([{ deviceId: 'speaker', label: 'Speakers' }]);
  });

  it('checkSpeaker() accepts the default and listed outputs; refuses others and browsers without setSinkId', async () => {
    const { env } = fakeMediaEnv();
    await expect(checkSpeaker(env, '')).resolves.toBeUndefined();
    await expect(checkSpeaker(env, 'speaker')).resolves.toBeUndefined();
    await expect(checkSpeaker(env, 'mic-1')).rejects.toMatchObject({ code: 'INVALID_REQUEST', phase: 'media' });
    await expect(checkSpeaker(env, 42 as never)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const old = { ...env, window: { HTMLMediaElement: { prototype: {} } } } as never;
    await expect(checkSpeaker(old, 'speaker')).rejects.toMatchObject({ code: 'BROWSER_NOT_SUPPORTED', phase: 'media' });
  });
});
