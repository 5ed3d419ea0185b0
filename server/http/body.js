/**
 * Request body parsing with a size limit.
 * @module
 */
import { ApiError } from './envelope.js';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON object body. An empty body reads as `{}`; anything else must be
 * `application/json`, at most 16 KiB, and a JSON object.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Record<string, unknown>>}
 */
export async function readJsonBody(req) {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    // Keep draining so the connection stays usable, but stop buffering.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge();
  if (size === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError('INVALID_REQUEST', 'Content-Type must be application/json.');
  }
  let value;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('INVALID_REQUEST', 'The request body is not valid JSON.');
  }
  if (!isPlainObject(value)) throw new ApiError('INVALID_REQUEST', 'The request body must be a JSON object.');
  return value;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tooLarge() {
  return new ApiError('INVALID_REQUEST', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
}
