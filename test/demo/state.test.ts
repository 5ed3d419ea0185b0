import { describe, expect, it } from 'vitest';
import { callInProgress, createCallState, createDemoState, endReason } from '../../demo/state.ts';
import { AthosRoleplayError } from '../../src/index.ts';

const ENDED = { callId: 'athos_call_1', durationSec: 12 };

describe('endReason()', () => {
  it("takes the SDK's reason when the ended event carries one, over what the page saw", () => {
    // As the SDK will send it (issue 14).
    const withReason = { ...ENDED, reason: 'max_duration' } as const;
    expect(endReason(withReason, { ...createCallState(), disconnectedByPage: true })).toBe('max_duration');
  });

  it('is client when the page called disconnect()', () => {
    expect(endReason(ENDED, { ...createCallState(), disconnectedByPage: true })).toBe('client');
  });

  it('is the code of the error that ended the call', () => {
    const endingError = new AthosRoleplayError('NETWORK_LOST', 'lost', { phase: 'call' });
    expect(endReason(ENDED, { ...createCallState(), endingError })).toBe('NETWORK_LOST');
  });

  it('says Athos ended it, without guessing which way, when the page saw neither', () => {
    expect(endReason(ENDED, createCallState())).toBe(
      'Athos ended it (max_duration or ended_by_athos; this SDK version does not say which)',
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
