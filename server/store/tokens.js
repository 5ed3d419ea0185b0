/**
 * Session tokens minted by `POST /session` and spent by the redemption. In memory.
 * @module
 */
import { randomSecret } from '../ids.js';

/**
 * @typedef {object} Redemption
 * @property {string | null} idempotencyKey
 * @property {string} fingerprint the redemption's normalized request, to recognise a true repeat
 * @property {string} callId
 * @property {RedemptionResponse} response what the redemption answered, for replays
 */

/**
 * @typedef {object} RedemptionResponse
 * @property {string} connectionUrl
 * @property {string} connectionTicket
 * @property {string} sessionId
 * @property {string} callId
 * @property {import('../persona/personas.js').Persona} persona
 */

/**
 * @typedef {object} TokenRecord
 * @property {string} externalUserId
 * @property {string | null} externalAgencyId
 * @property {number} expiresAtMs
 * @property {number} forgetAtMs {@link forgetAfterExpirySec} after the expiry: until then a late
 *   redemption is told TOKEN_EXPIRED (or replayed), afterwards the token is unknown
 * @property {Redemption | null} redemption set once, by the redemption that spends the token
 */

/**
 * How long an expired token is still known: one more lifetime, and at least a minute, so that a
 * late redemption learns TOKEN_EXPIRED rather than INVALID_TOKEN.
 * @param {number} ttlSec
 */
export function forgetAfterExpirySec(ttlSec) {
  return Math.max(ttlSec, 60);
}

/**
 * @param {{ ttlSec: number }} options
 */
export function createTokenStore({ ttlSec }) {
  /** @type {Map<string, TokenRecord>} */
  const tokens = new Map();

  return {
    /**
     * @param {{ externalUserId: string, externalAgencyId: string | null }} owner
     */
    mint(owner) {
      const token = randomSecret('ast_');
      const expiresAtMs = Date.now() + ttlSec * 1000;
      const forgetAtMs = expiresAtMs + forgetAfterExpirySec(ttlSec) * 1000;
      tokens.set(token, { ...owner, expiresAtMs, forgetAtMs, redemption: null });
      return { token, expiresAt: new Date(expiresAtMs).toISOString() };
    },

    /**
     * @param {string} token
     */
    find(token) {
      const record = tokens.get(token);
      return record && Date.now() < record.forgetAtMs ? record : undefined;
    },

    /**
     * Forgets the tokens whose time is up.
     * @param {number} now
     */
    sweep(now) {
      for (const [token, record] of tokens) if (now >= record.forgetAtMs) tokens.delete(token);
    },

    /**
     * Spends a token. Callers check and spend in one synchronous step, which makes the
     * redemption atomic.
     * @param {TokenRecord} record
     * @param {Redemption} redemption
     */
    spend(record, redemption) {
      record.redemption = redemption;
    },
  };
}
