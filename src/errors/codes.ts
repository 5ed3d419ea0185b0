import { ERROR_CODES } from '../contract/errors.js';

/**
 * Every error code the SDK can report, in the order of the public contract.
 *
 * Branch on these codes, never on an error's `message`. The array is frozen, so it can be
 * used to build exhaustive lookup tables at run time.
 */
export const ATHOS_ERROR_CODES = ERROR_CODES;

/** One of {@link ATHOS_ERROR_CODES}. */
export type AthosErrorCode = (typeof ATHOS_ERROR_CODES)[number];

/** Whether `value` is one of the SDK's error codes. */
export function isAthosErrorCode(value: unknown): value is AthosErrorCode {
  return typeof value === 'string' && (ATHOS_ERROR_CODES as readonly string[]).includes(value);
}

const RETRYABLE_CODES: ReadonlySet<AthosErrorCode> = new Set(['NETWORK_LOST', 'SERVICE_UNAVAILABLE', 'INTERNAL_ERROR']);

/** Whether trying the same thing again (a new session with a fresh token) can help. */
export function isRetryableCode(code: AthosErrorCode): boolean {
  return RETRYABLE_CODES.has(code);
}
