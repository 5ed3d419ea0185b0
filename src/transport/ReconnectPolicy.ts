import { AUTH_TIMEOUT_MS, RESUME_WINDOW_MS } from '../contract/voice.js';

/** Where a reconnect stands when its {@link ReconnectPolicy} is asked for the next delay. */
export interface ReconnectContext {
  /** Attempts made since the drop (0 before the first). */
  attempts: number;
  /** Milliseconds since the drop. */
  elapsedMs: number;
}

/**
 * How a dropped call is won back: how long it may take in all, how long one attempt may take,
 * and how long to wait between attempts. The transport consults it; the session reports its
 * deadline with `reconnecting`, so no caller restates the window.
 */
export interface ReconnectPolicy {
  /** How long after the drop the call may take to come back before it ends with `NETWORK_LOST`. */
  readonly windowMs: number;
  /** How long one attempt may take, from opening its socket to the gateway's answer. */
  readonly attemptTimeoutMs: number;
  /** The wait before the next attempt, or `null` to give up now. */
  nextDelayMs(context: ReconnectContext): number | null;
}

/** The longest wait between two attempts. */
const MAX_DELAY_MS = 2_000;

/**
 * The SDK's policy: the first attempt at once, then waits of 250–500 ms, 500–1000 ms, 1–2 s and
 * then 2 s (random within each range, so many clients do not retry in step), for as long as
 * the gateway keeps the call: 30 s. An attempt gets 4 s, a second less than the gateway's
 * authentication limit, so it never loses that race and ends the call.
 */
export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = Object.freeze({
  windowMs: RESUME_WINDOW_MS,
  attemptTimeoutMs: AUTH_TIMEOUT_MS - 1_000,
  nextDelayMs({ attempts }: ReconnectContext): number {
    if (attempts === 0) return 0;
    return Math.round(Math.min(MAX_DELAY_MS, 250 * 2 ** (attempts - 1) * (1 + Math.random())));
  },
});
