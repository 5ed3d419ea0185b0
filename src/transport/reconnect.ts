import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { sleep, withDeadline } from '../utils/abortable.ts';
import type { Logger } from '../utils/logger.ts';
import type { ReconnectPolicy } from './ReconnectPolicy.ts';

/** What {@link reconnect} needs. */
export interface ReconnectOptions {
  policy: ReconnectPolicy;
  /** When the link dropped, in `Date.now()` ms: the window counts from here. */
  droppedAt: number;
  /** One attempt; it must give up (release what it opened and reject) when its signal aborts. */
  attempt: (signal: AbortSignal) => Promise<void>;
  /** Whether a failed attempt is worth another; otherwise its error ends the reconnect. */
  isRetryable: (error: unknown) => boolean;
  /** Stops the reconnect: it rejects with the signal's reason. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Runs attempts as the policy says until one succeeds; an attempt that outlasts the policy's
 * `attemptTimeoutMs` has its signal aborted and counts as failed. Rejects with the error of an attempt not
 * worth retrying, with `NETWORK_LOST` when the policy gives up or its window passes (an attempt
 * under way is then abandoned), or with the signal's reason. Leaves no timer behind.
 */
export async function reconnect({ policy, droppedAt, attempt, isRetryable, signal, logger }: ReconnectOptions): Promise<void> {
  const giveUp = new AbortController();
  const run = AbortSignal.any([signal, giveUp.signal]);
  const attempts = (async () => {
    for (let count = 0; ; count += 1) {
      const delay = policy.nextDelayMs({ attempts: count, elapsedMs: Date.now() - droppedAt });
      if (delay === null) throw networkLost(policy);
      if (delay > 0) await sleep(delay, run);
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new Error(`no answer within ${policy.attemptTimeoutMs} ms`)),
        policy.attemptTimeoutMs,
      );
      try {
        await attempt(AbortSignal.any([run, timeout.signal]));
        return;
      } catch (error) {
        if (run.aborted || !isRetryable(error)) throw error;
        logger.debug(`resume attempt ${count + 1} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      } finally {
        clearTimeout(timer);
      }
    }
  })();
  try {
    await withDeadline(attempts, {
      signal,
      ms: Math.max(0, droppedAt + policy.windowMs - Date.now()),
      onTimeout: () => {
        throw networkLost(policy);
      },
    });
  } finally {
    giveUp.abort();
    attempts.catch(() => undefined);
  }
}

function networkLost(policy: ReconnectPolicy): AthosRoleplayError {
  return new AthosRoleplayError(
    'NETWORK_LOST',
    `The connection dropped and did not recover within ${Math.round(policy.windowMs / 1000)} seconds.`,
    { phase: 'call' },
  );
}
