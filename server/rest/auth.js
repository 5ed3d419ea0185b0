/**
 * Bearer credentials of the REST API.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/envelope.js';

/**
 * The credential of `Authorization: Bearer <credential>`, or null.
 * @param {import('node:http').IncomingMessage} req
 */
export function bearer(req) {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/**
 * Requires the server's API key; a session token is not one.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} apiKey
 */
export function requireApiKey(req, apiKey) {
  const given = Buffer.from(bearer(req) ?? '');
  const expected = Buffer.from(apiKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError('INVALID_API_KEY', 'A valid API key is required: Authorization: Bearer <api key>.');
  }
}
