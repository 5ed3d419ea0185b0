import pRetry from 'p-retry';
import { REQUEST_ID_HEADER } from '../contract/errors.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { sleep } from '../utils/abortable.ts';
import type { Logger } from '../utils/logger.ts';
import { errorFromResponse } from './errorFromResponse.ts';
import { parseRedemption, type Redemption, type RedemptionRequest } from './Redemption.ts';

/** The redemption endpoint, relative to `apiBase`. */
export const REDEEM_PATH = '/api/external/v1/roleplay/session';

/** At most this many attempts for one `connect()`. */
export const REDEEM_MAX_ATTEMPTS = 3;

/** The whole redemption, retries and waits included, takes at most this long. */
export const REDEEM_BUDGET_MS = 10_000;

/** What {@link redeemToken} needs from its surroundings. */
export interface RedeemContext {
  fetch: typeof fetch;
  /** Aborted when the app cancels `connect()`. */
  signal: AbortSignal;
  /** Same for every attempt of one `connect()`, so a retried redemption is not a second use. */
  idempotencyKey: string;
  logger: Logger;
}

/**
 * Redeems the session token: `POST {apiBase}/api/external/v1/roleplay/session` with the
 * token as a bearer credential (never in the URL).
 *
 * Retries only what is safe to retry (503, 429 after its `Retry-After`, and network
 * failures), at most {@link REDEEM_MAX_ATTEMPTS} attempts within {@link REDEEM_BUDGET_MS},
 * always with the same `Idempotency-Key`. Rejects with an {@link AthosRoleplayError} of phase
 * `redeem`, or with the signal's reason when cancelled.
 */
export async function redeemToken(request: RedemptionRequest, context: RedeemContext): Promise<Redemption> {
  const budget = new AbortController();
  const deadline = setTimeout(() => budget.abort(), REDEEM_BUDGET_MS);
  const signal = AbortSignal.any([context.signal, budget.signal]);
  const startedAt = Date.now();
  try {
    return await pRetry(() => attempt(request, context, signal), {
      retries: REDEEM_MAX_ATTEMPTS - 1,
      minTimeout: 200,
      maxTimeout: 2000,
      randomize: true,
      signal: context.signal,
      shouldRetry: ({ error }) => isTransient(error),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        if (retriesLeft === 0 || !isTransient(error)) return;
        context.logger.debug(`redemption attempt failed (${(error as AthosRoleplayError).code}), retrying`);
        const wait = (error as AthosRoleplayError).retryAfterMs ?? 0;
        if (Date.now() - startedAt + wait >= REDEEM_BUDGET_MS) throw error;
        if (wait > 0) await sleep(wait, signal);
      },
    });
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    if (budget.signal.aborted && !AthosRoleplayError.is(error)) {
      throw new AthosRoleplayError('SERVICE_UNAVAILABLE', 'Redeeming the session token timed out.', { phase: 'redeem' });
    }
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

async function attempt(request: RedemptionRequest, context: RedeemContext, signal: AbortSignal): Promise<Redemption> {
  const body: Record<string, unknown> = { drillKey: request.drillKey };
  if (request.difficulty !== undefined) body.difficulty = request.difficulty;
  if (request.filters !== undefined) body.filters = request.filters;

  let response: Response;
  try {
    response = await context.fetch(`${request.apiBase}${REDEEM_PATH}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${request.token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': context.idempotencyKey,
      },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (cause) {
    if (signal.aborted) throw signal.reason ?? cause;
    throw new AthosRoleplayError('INTERNAL_ERROR', 'Could not reach Athos to redeem the session token (network failure).', {
      phase: 'redeem',
      retryable: true,
      cause,
    });
  }

  if (!response.ok) throw await errorFromResponse(response, [request.token]);

  const requestId = response.headers.get(REQUEST_ID_HEADER) ?? undefined;
  const redemption = parseRedemption(await response.json().catch(() => undefined));
  if (!redemption) {
    throw new AthosRoleplayError('INTERNAL_ERROR', 'Athos answered the redemption with a body that lacks required fields.', {
      phase: 'redeem',
      httpStatus: response.status,
      requestId,
    });
  }
  return redemption;
}

/** 503, 429 and network failures (no HTTP status) are worth another attempt. */
function isTransient(error: unknown): boolean {
  if (!AthosRoleplayError.is(error)) return false;
  return error.httpStatus === undefined ? error.retryable : error.httpStatus === 503 || error.httpStatus === 429;
}
