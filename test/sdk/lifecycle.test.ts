import { describe, expect, it } from 'vitest';
import { Lifecycle, type LifecycleEvent, type SessionState, TRANSITIONS } from '../../src/session/lifecycle.ts';

const STATES: SessionState[] = ['idle', 'connecting', 'connected', 'reconnecting', 'ended'];
const EVENTS: LifecycleEvent[] = ['connect', 'live', 'drop', 'recover', 'end'];

const EXPECTED: Record<SessionState, Partial<Record<LifecycleEvent, SessionState>>> = {
  idle: { connect: 'connecting' },
  connecting: { live: 'connected', end: 'ended' },
  connected: { drop: 'reconnecting', end: 'ended' },
  reconnecting: { recover: 'connected', end: 'ended' },
  ended: {},
};

function lifecycleIn(state: SessionState): Lifecycle {
  const paths: Record<SessionState, LifecycleEvent[]> = {
    idle: [],
    connecting: ['connect'],
    connected: ['connect', 'live'],
    reconnecting: ['connect', 'live', 'drop'],
    ended: ['connect', 'end'],
  };
  const lifecycle = new Lifecycle();
  for (const event of paths[state]) expect(lifecycle.apply(event)).toBe(true);
  expect(lifecycle.state).toBe(state);
  return lifecycle;
}

describe('Lifecycle', () => {
  it('starts idle', () => {
    expect(new Lifecycle().state).toBe('idle');
  });

  it('has exactly the documented table', () => {
    expect(TRANSITIONS).toEqual(EXPECTED);
  });

  for (const state of STATES) {
    for (const event of EVENTS) {
      const next = EXPECTED[state][event];
      it(`${state} + ${event} → ${next ?? 'refused'}`, () => {
        const lifecycle = lifecycleIn(state);
        expect(lifecycle.can(event)).toBe(next !== undefined);
        expect(lifecycle.apply(event)).toBe(next !== undefined);
        expect(lifecycle.state).toBe(next ?? state);
      });
    }
  }
});
