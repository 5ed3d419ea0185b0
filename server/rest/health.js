/**
 * `GET /health`: a cheap, unauthenticated check that the API answers, for the SDK's pre-call
 * check. It spends nothing and tells no secret; it names the voice gateway new calls use.
 * @module
 */
import { sendJson } from '../http/envelope.js';

/**
 * @param {{ connectionUrl: () => string }} deps
 * @returns {import('../http/router.js').Handler}
 */
export function healthHandler({ connectionUrl }) {
  return ({ res }) => {
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, 200, { status: 'ok', connectionUrl: connectionUrl() });
  };
}
