/**
 * Every error code the SDK can report, in the order of the public contract.
 *
 * Branch on these codes, never on an error's `message`. The array is frozen, so it can be
 * used to build exhaustive lookup tables at run time.
 */
export const ATHOS_ERROR_CODES = Object.freeze([
  'MIC_PERMISSION_DENIED',
  'MIC_DEVICE_DISCONNECTED',
  'NO_MIC_AVAILABLE',
  'NETWORK_LOST',
  'AUDIO_PLAYBACK_BLOCKED',
  'BROWSER_NOT_SUPPORTED',
  'SESSION_ALREADY_CONNECTED',
  'INVALID_API_KEY',
  'API_KEY_REVOKED',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'TOKEN_ALREADY_USED',
  'IP_NOT_ALLOWED',
  'TENANT_INACTIVE',
  'TENANT_QUOTA_EXCEEDED',
  'INVALID_REQUEST',
  'DRILL_NOT_FOUND',
  'CALL_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const);

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
