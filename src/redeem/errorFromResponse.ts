import { REQUEST_ID_HEADER } from '../contract/errors.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { isAthosErrorCode } from '../errors/codes.ts';
import { redactSecrets } from '../utils/logger.ts';

/**
 * Turns a failed redemption response into an {@link AthosRoleplayError}. Reads the error
 * envelope `{ error: { code, message, requestId } }`; keeps a code the SDK does not know as
 * `serverCode` (then `code` is `INTERNAL_ERROR`); falls back on the HTTP status when the body
 * is not the envelope. `secrets` are removed from the server's message.
 */
export async function errorFromResponse(response: Response, secrets: readonly string[]): Promise<AthosRoleplayError> {
  const envelope = parseEnvelope(await response.text().catch(() => ''));
  const status = response.status;
  const requestId = envelope?.requestId ?? response.headers.get(REQUEST_ID_HEADER) ?? undefined;
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
  const details = { phase: 'redeem' as const, httpStatus: status, requestId, retryAfterMs };

  if (envelope && isAthosErrorCode(envelope.code)) {
    const message = redactSecrets(envelope.message ?? `Athos answered ${envelope.code}.`, secrets);
    return new AthosRoleplayError(envelope.code, message, details);
  }
  if (envelope?.code) {
    return new AthosRoleplayError('INTERNAL_ERROR', `Athos answered HTTP ${status} with unknown code ${envelope.code}.`, {
      ...details,
      serverCode: envelope.code,
    });
  }
  if (status === 503 || status === 429) {
    return new AthosRoleplayError('SERVICE_UNAVAILABLE', `Athos is unavailable (HTTP ${status}).`, {
      ...details,
      retryable: true,
    });
  }
  return new AthosRoleplayError(
    'INTERNAL_ERROR',
    `Athos answered HTTP ${status} without an error body the SDK understands.`,
    details,
  );
}

interface Envelope {
  code?: string;
  message?: string;
  requestId?: string;
}

function parseEnvelope(text: string): Envelope | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body?.error !== 'object' || body.error === null) return undefined;
    const error = body.error as Record<string, unknown>;
    const pick = (key: string) => (typeof error[key] === 'string' ? (error[key] as string) : undefined);
    return { code: pick('code'), message: pick('message'), requestId: pick('requestId') };
  } catch {
    return undefined;
  }
}

/** Reads `Retry-After` as delta-seconds or an HTTP date, in ms; `undefined` when absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
