/**
 * The error codes of the Athos contract and the HTTP status of those the REST API returns,
 * shared by the SDK and the local server.
 * @module
 */

/**
 * Every error code, in the order of the public contract.
 * @type {readonly ['MIC_PERMISSION_DENIED', 'MIC_DEVICE_DISCONNECTED', 'NO_MIC_AVAILABLE', 'NETWORK_LOST', 'AUDIO_PLAYBACK_BLOCKED', 'BROWSER_NOT_SUPPORTED', 'SESSION_ALREADY_CONNECTED', 'INVALID_API_KEY', 'API_KEY_REVOKED', 'INVALID_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_ALREADY_USED', 'IP_NOT_ALLOWED', 'TENANT_INACTIVE', 'TENANT_QUOTA_EXCEEDED', 'INVALID_REQUEST', 'DRILL_NOT_FOUND', 'CALL_NOT_FOUND', 'SERVICE_UNAVAILABLE', 'INTERNAL_ERROR']}
 */
export const ERROR_CODES = /* @__PURE__ */ Object.freeze([
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
]);

/** @typedef {(typeof ERROR_CODES)[number]} ErrorCode */

/**
 * The HTTP status of every code the REST API answers with. The browser-only codes (microphone,
 * playback, browser support, a second `connect()`) never travel over HTTP.
 * @type {Readonly<Partial<Record<ErrorCode, number>>>}
 */
export const HTTP_STATUS_BY_CODE = /* @__PURE__ */ Object.freeze({
  INVALID_REQUEST: 400,
  DRILL_NOT_FOUND: 400,
  INVALID_API_KEY: 401,
  API_KEY_REVOKED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_ALREADY_USED: 401,
  IP_NOT_ALLOWED: 403,
  TENANT_INACTIVE: 403,
  TENANT_QUOTA_EXCEEDED: 403,
  CALL_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
});

/** The header that carries the request id on every REST response. */
export const REQUEST_ID_HEADER = 'X-Athos-Request-Id';
