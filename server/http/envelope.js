/**
 * The response envelope: bare JSON on success, `{ error: { code, message, requestId } }` on
 * failure, and `X-Athos-Request-Id` on every response.
 * @module
 */
import { HTTP_STATUS_BY_CODE } from '../../src/contract/errors.js';

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
    this.status =
      options.status ?? HTTP_STATUS_BY_CODE[/** @type {import('../../src/contract/errors.js').ErrorCode} */ (code)] ?? 500;
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
