/**
 * CORS for the routes a browser may call (the redemption and the fault controls). Credentials
 * travel in the Authorization header, never in cookies, so any origin may be allowed.
 * @module
 */

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const EXPOSED_HEADERS = 'X-Athos-Request-Id, Retry-After';

/** Headers for every response, errors included, of a CORS-enabled route. */
export function corsHeaders() {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  };
}

/**
 * Headers answering a preflight.
 * @param {string[]} methods
 */
export function preflightHeaders(methods) {
  return {
    ...corsHeaders(),
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
