import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { withDeadline } from '../utils/abortable.ts';

/**
 * A function that mints a session token on demand, typically by asking your backend. `connect()`
 * calls it once, after the microphone was granted, with a signal that aborts when
 * `disconnect()` cancels the call (pass it to `fetch`).
 */
export type AthosTokenFunction = (context: { signal: AbortSignal }) => Promise<string>;

/** How long a token function may take. */
export const MINT_TIMEOUT_MS = 15_000;

/**
 * The token to redeem: `source` itself, or what the token function resolves to. Rejects with
 * the signal's reason when it aborts first (a late result is ignored), and with `INVALID_TOKEN`
 * (phase `redeem`) when the function fails, takes longer than {@link MINT_TIMEOUT_MS}, or
 * resolves to anything but a non-blank string.
 */
export async function obtainToken(source: string | AthosTokenFunction, signal: AbortSignal): Promise<string> {
  if (typeof source === 'string') return source;
  let minted: unknown;
  try {
    minted = await withDeadline(
      Promise.resolve().then(() => source({ signal })),
      {
        signal,
        ms: MINT_TIMEOUT_MS,
        onTimeout: () => {
          throw new AthosRoleplayError('INVALID_TOKEN', 'The token function returned no token within 15 seconds.', {
            phase: 'redeem',
            retryable: true,
          });
        },
      },
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (AthosRoleplayError.is(error)) throw error;
    const name = error instanceof Error ? error.name : typeof error;
    throw new AthosRoleplayError('INVALID_TOKEN', `The token function failed (${name}), so there is no token to redeem.`, {
      phase: 'redeem',
      retryable: true,
      cause: error,
    });
  }
  if (typeof minted !== 'string' || minted.trim() === '') {
    throw new AthosRoleplayError('INVALID_TOKEN', 'The token function resolved to something other than a non-blank string.', {
      phase: 'redeem',
      retryable: false,
    });
  }
  return minted;
}
