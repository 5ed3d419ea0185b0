/**
 * `POST /session`: the integrator's backend mints a session token for one call.
 * @module
 */
import { readJsonBody } from '../http/body.js';
import { ApiError, sendJson } from '../http/envelope.js';
import { requireApiKey } from './auth.js';

const MAX_ID_LENGTH = 256;

/**
 * @typedef {object} MintDeps
 * @property {string} apiKey
 * @property {ReturnType<typeof import('../store/tokens.js').createTokenStore>} tokens
 * @property {ReturnType<typeof import('./mint-limit.js').createMintLimit>} limit
 */

/**
 * @param {MintDeps} deps
 * @returns {import('../http/router.js').Handler}
 */
export function mintSessionHandler({ apiKey, tokens, limit }) {
  return async ({ req, res }) => {
    requireApiKey(req, apiKey);
    limit.take();
    const body = await readJsonBody(req);
    const externalUserId = externalId(body.externalUserId, 'externalUserId');
    if (externalUserId === null) throw new ApiError('INVALID_REQUEST', 'externalUserId is required.');
    const externalAgencyId = externalId(body.externalAgencyId, 'externalAgencyId');
    sendJson(res, 200, tokens.mint({ externalUserId, externalAgencyId }));
  };
}

/**
 * An optional external id: absent, null or blank reads as null.
 * @param {unknown} value
 * @param {string} name
 */
function externalId(value, name) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH) {
    throw new ApiError('INVALID_REQUEST', `${name} must be a string of at most ${MAX_ID_LENGTH} characters.`);
  }
  return value.trim() === '' ? null : value;
}
