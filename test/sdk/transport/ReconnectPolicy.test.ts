import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTH_TIMEOUT_MS, RESUME_WINDOW_MS } from '../../../src/contract/voice.js';
import { DEFAULT_RECONNECT_POLICY } from '../../../src/transport/ReconnectPolicy.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const delays = (count: number) =>
  Array.from({ length: count }, (_, attempts) => DEFAULT_RECONNECT_POLICY.nextDelayMs({ attempts, elapsedMs: 0 }));

describe('DEFAULT_RECONNECT_POLICY', () => {
  it('tries for as long as the gateway keeps a dropped call', () => {
    expect(DEFAULT_RECONNECT_POLICY.windowMs).toBe(RESUME_WINDOW_MS);
    expect(RESUME_WINDOW_MS).toBe(30_000);
  });

  it("gives an attempt less time than the gateway's authentication limit, so the gateway never ends it first", () => {
    expect(DEFAULT_RECONNECT_POLICY.attemptTimeoutMs).toBeLessThan(AUTH_TIMEOUT_MS);
    expect(DEFAULT_RECONNECT_POLICY.attemptTimeoutMs).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 1_000);
  });

  it('tries at once, then waits 250 ms doubling up to 2 s, each stretched by ×1 to ×2', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(delays(7)).toEqual([0, 250, 500, 1000, 2000, 2000, 2000]);
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    expect(delays(7)).toEqual([0, 500, 1000, 1999, 2000, 2000, 2000]);
  });

  it('never gives up by itself: the window ends the reconnect', () => {
    expect(DEFAULT_RECONNECT_POLICY.nextDelayMs({ attempts: 1_000, elapsedMs: 10 * RESUME_WINDOW_MS })).toBe(2000);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_RECONNECT_POLICY)).toBe(true);
  });
});
