/**
 * Identifiers and secrets.
 * @module
 */
import { randomBytes } from 'node:crypto';

/**
 * A public identifier such as `req_…` or `athos_call_…` (96 random bits, hex).
 * @param {string} prefix
 */
export function randomId(prefix) {
  return prefix + randomBytes(12).toString('hex');
}

/**
 * An unguessable bearer secret such as a session token or ticket (192 random bits, base64url).
 * @param {string} prefix
 */
export function randomSecret(prefix) {
  return prefix + randomBytes(24).toString('base64url');
}
