import { type AthosErrorPhase, AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { AthosErrorCode } from '../errors/codes.ts';

/**
 * Close codes that, once the call is live, mean the link dropped rather than the call ended:
 * going away (restart), no status, abnormal drop, gateway unavailable.
 */
const DROP_CODES: ReadonlySet<number> = new Set([1001, 1005, 1006, 4503]);

/** Whether a live socket closed with `code` is a drop that the SDK resumes from. */
export function isDropClose(code: number): boolean {
  return DROP_CODES.has(code);
}

/** The SDK error of each close code the protocol defines. */
const CLOSE_ERRORS: Readonly<Record<number, readonly [AthosErrorCode, string]>> = {
  1001: ['SERVICE_UNAVAILABLE', 'The voice gateway is restarting.'],
  1005: ['SERVICE_UNAVAILABLE', 'The voice gateway closed the connection without a code.'],
  1006: ['SERVICE_UNAVAILABLE', 'The connection to the voice gateway was lost.'],
  1011: ['INTERNAL_ERROR', 'The voice gateway failed.'],
  4001: ['INVALID_TOKEN', 'The voice gateway refused the connection ticket: unknown, malformed or already used.'],
  4002: ['TOKEN_EXPIRED', 'The connection ticket expired before the voice connection opened.'],
  4003: ['NETWORK_LOST', 'The voice gateway refused to resume the call: it ended or its resume window passed.'],
  4400: ['INTERNAL_ERROR', 'The voice gateway reported a protocol violation.'],
  4403: ['TENANT_INACTIVE', 'The Athos account is inactive.'],
  4408: ['INTERNAL_ERROR', 'The voice gateway received no authentication in time.'],
  4429: ['TENANT_QUOTA_EXCEEDED', 'The Athos account is over its quota.'],
  4503: ['SERVICE_UNAVAILABLE', 'The voice gateway is unavailable.'],
};

/**
 * The error for a socket the gateway closed with `code` and `reason` (both kept on the error).
 * A code the protocol does not define is `INTERNAL_ERROR`.
 */
export function errorForClose(code: number, reason: string, phase: AthosErrorPhase): AthosRoleplayError {
  const [errorCode, message] = CLOSE_ERRORS[code] ?? ['INTERNAL_ERROR', 'The voice gateway closed the connection unexpectedly.'];
  return new AthosRoleplayError(errorCode, `${message} (close ${code}${reason ? `: ${reason}` : ''})`, {
    phase,
    closeCode: code,
    closeReason: reason || undefined,
  });
}
