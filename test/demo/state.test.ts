import { describe, expect, it } from 'vitest';
import { callInProgress, createCallState, createDemoState, END_REASONS } from '../../demo/state.ts';

describe('END_REASONS', () => {
  it('explains every reason the ended event can carry', () => {
    expect(Object.keys(END_REASONS).sort()).toEqual(
      ['client', 'ended_by_athos', 'error', 'max_duration', 'network_lost', 'resume_timeout'].sort(),
    );
  });
});

describe('callInProgress()', () => {
  it('is true from the start of a call until it is over', () => {
    const state = createDemoState();
    expect(callInProgress(state)).toBe(false);
    state.call = createCallState();
    expect(callInProgress(state)).toBe(true);
    state.call.over = true;
    expect(callInProgress(state)).toBe(false);
  });
});
