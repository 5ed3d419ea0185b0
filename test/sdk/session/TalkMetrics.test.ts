import { describe, expect, it } from 'vitest';
import { DEAD_AIR_MS, TalkMetrics } from '../../../src/session/TalkMetrics.ts';
import { NO_TALK } from '../fakeParts.ts';

type Step = [at: number, who: 'rep' | 'persona', speaking: boolean];

/** A call live from 0 ms with these speaking changes, in order. */
function script(steps: Step[]): TalkMetrics {
  const metrics = new TalkMetrics();
  metrics.start(0);
  for (const [at, who, speaking] of steps) {
    if (who === 'rep') metrics.setRep(speaking, at);
    else metrics.setPersona(speaking, at);
  }
  return metrics;
}

describe('TalkMetrics', () => {
  it('is all zero before the call is live, whatever it was told', () => {
    const metrics = new TalkMetrics();
    metrics.setRep(true, 100);
    expect(metrics.read(10_000)).toEqual(NO_TALK);
  });

  it('adds up talk time per side and the rep’s share of it', () => {
    const metrics = script([
      [300, 'persona', true],
      [3_300, 'persona', false],
      [4_000, 'rep', true],
      [6_000, 'rep', false],
    ]);
    expect(metrics.read(7_000)).toEqual({
      repTalkMs: 2_000,
      personaTalkMs: 3_000,
      talkRatio: 0.4,
      longestRepMonologueMs: 2_000,
      interruptions: 0,
      deadAirCount: 0,
      deadAirMs: 0,
    });
  });

  it('counts what is still going on up to the moment it is read', () => {
    const metrics = script([[1_000, 'persona', true]]);
    expect(metrics.read(2_500).personaTalkMs).toBe(1_500);
    metrics.setPersona(false, 3_000);
    metrics.setRep(true, 3_500);
    expect(metrics.read(4_000)).toMatchObject({ repTalkMs: 500, personaTalkMs: 2_000, longestRepMonologueMs: 500 });
  });

  it('counts a silence of both sides as dead air only once it lasts more than 3 s, and whole', () => {
    expect(DEAD_AIR_MS).toBe(3_000);
    const metrics = script([
      [0, 'persona', true],
      [1_000, 'persona', false],
      [4_000, 'rep', true], // exactly 3 s of silence: not dead air
      [5_000, 'rep', false],
      [8_500, 'persona', true], // 3.5 s
      [9_000, 'persona', false],
    ]);
    expect(metrics.read(12_000)).toMatchObject({ deadAirCount: 1, deadAirMs: 3_500 });
    expect(metrics.read(12_001)).toMatchObject({ deadAirCount: 2, deadAirMs: 3_500 + 3_001 });
  });

  it('counts an interruption each time the rep starts talking over the persona, not the other way round', () => {
    const metrics = script([
      [0, 'persona', true],
      [2_000, 'rep', true],
      [2_500, 'rep', false],
      [3_000, 'rep', true],
      [4_000, 'rep', false],
      [5_000, 'persona', false],
      [6_000, 'rep', true], // the persona is silent: no interruption
      [6_500, 'persona', true], // the persona talks over the rep: not the rep's interruption
      [7_000, 'persona', false],
      [7_500, 'rep', false],
    ]);
    expect(metrics.read(8_000).interruptions).toBe(2);
  });

  it('takes the longest monologue across rep pauses of up to 3 s, ended by dead air or by the persona', () => {
    const metrics = script([
      [0, 'rep', true],
      [2_000, 'rep', false],
      [4_500, 'rep', true], // a 2.5 s pause: the same monologue
      [6_000, 'rep', false], // 0–6000
      [9_500, 'rep', true], // a 3.5 s pause ended it
      [10_000, 'rep', false],
      [10_500, 'persona', true],
      [12_000, 'persona', false],
      [12_100, 'rep', true],
      [13_000, 'rep', false], // 900 ms
    ]);
    expect(metrics.read(13_500).longestRepMonologueMs).toBe(6_000);
  });

  it('cuts a monologue where the persona starts speaking, and starts another where she stops', () => {
    const metrics = script([
      [0, 'rep', true],
      [2_000, 'persona', true], // monologue 0–2000
      [2_500, 'persona', false], // the rep still talks: a new one from 2500
      [3_000, 'rep', false], // 500 ms
      [3_200, 'rep', true],
      [3_400, 'rep', false], // 200 ms later: the same one, 2500–3400
    ]);
    expect(metrics.read(4_000).longestRepMonologueMs).toBe(2_000);
    metrics.setRep(true, 4_000);
    // 2500–6000 once the rep has talked until 6000, counted live.
    expect(metrics.read(6_000).longestRepMonologueMs).toBe(3_500);
  });

  it('stops the clock while the link is down', () => {
    const metrics = script([
      [0, 'persona', true],
      [1_000, 'persona', false],
      [1_400, 'rep', true],
    ]);
    metrics.pause(1_500);
    metrics.setRep(false, 1_500);
    metrics.resume(31_500);
    expect(metrics.read(32_000)).toEqual({
      repTalkMs: 100,
      personaTalkMs: 1_000,
      talkRatio: 100 / 1_100,
      longestRepMonologueMs: 100,
      interruptions: 0,
      deadAirCount: 0,
      deadAirMs: 0,
    });
    // Speech that goes on over a drop counts up to it and again after it.
    metrics.setPersona(true, 33_000);
    metrics.pause(34_000);
    metrics.resume(60_000);
    expect(metrics.read(61_000).personaTalkMs).toBe(1_000 + 1_000 + 1_000);
  });

  it('is final once stopped: a trailing silence counts, later changes do not', () => {
    const metrics = script([
      [0, 'persona', true],
      [1_000, 'persona', false],
    ]);
    metrics.stop(5_000);
    metrics.setRep(true, 6_000);
    metrics.resume(7_000);
    const final = metrics.read(100_000);
    expect(final).toEqual({ ...NO_TALK, personaTalkMs: 1_000, deadAirCount: 1, deadAirMs: 4_000 });
    expect(metrics.read(200_000)).toEqual(final);
  });
});
