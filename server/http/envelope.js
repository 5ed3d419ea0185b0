/**
 * The response envelope: bare JSON on success, `{ error: { code, message, requestId } }` on
 * failure, and `X-Athos-Request-Id` on every response.
 * @module
 */

/** HTTP status of every error code of the contract. */
export const STATUS_BY_CODE = Object.freeze({
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

export const REQUEST_ID_HEADER = 'X-Athos-Request-Id';

/** A failure that is answered with the error envelope. */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ status?: number, headers?: Record<string, string> }} [options]
   *   `status` overrides the code's usual status (404/405 routing errors, injected faults).
   */
  constructor(code, message, options = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? STATUS_BY_CODE[/** @type {keyof STATUS_BY_CODE} */ (code)] ?? 500;
    this.headers = options.headers ?? {};
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {string} requestId
 * @param {ApiError} error
 */
export function sendError(res, requestId, error) {
  sendJson(res, error.status, { error: { code: error.code, message: error.message, requestId } }, error.headers);
}
