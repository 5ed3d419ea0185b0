/**
 * `POST /roleplay/session`: the browser redeems a session token for a call and the ticket that
 * joins it.
 * @module
 */
import { DEFAULT_DIFFICULTY, DIFFICULTIES, DRILL_KEYS } from '../../src/contract/drills.js';
import { isPlainObject, readJsonBody } from '../http/body.js';
import { ApiError, sendJson } from '../http/envelope.js';
import { choosePersona } from '../persona/personas.js';
import { TICKET_TTL_MS } from '../store/tickets.js';
import { bearer } from './auth.js';

/**
 * @typedef {object} RedeemDeps
 * @property {ReturnType<typeof import('../store/tokens.js').createTokenStore>} tokens
 * @property {ReturnType<typeof import('../store/tickets.js').createTicketStore>} tickets
 * @property {ReturnType<typeof import('../store/calls.js').createCallStore>} calls
 * @property {import('../faults.js').Faults} faults
 * @property {() => string} connectionUrl
 */

/**
 * Every failure leaves the token unspent; only a successful redemption spends it. A repeat with
 * the token's Idempotency-Key (and the same request) replays the session.
 * @param {RedeemDeps} deps
 * @returns {import('../http/router.js').Handler}
 */
export function redeemHandler({ tokens, tickets, calls, faults, connectionUrl }) {
  return async (ctx) => {
    if (await faults.injectRedemptionFault(ctx)) return;
    const { req, res, requestId } = ctx;
    const credential = bearer(req);
    const idempotencyKey = readIdempotencyKey(req);
    const body = await readJsonBody(req);

    // Nothing below awaits: checking and spending the token is one atomic step.
    const record = credential === null ? undefined : tokens.find(credential);
    if (!record) throw new ApiError('INVALID_TOKEN', 'The session token is not valid.');
    const fingerprint = JSON.stringify([body.drillKey, body.difficulty ?? null, body.filters ?? null]);
    if (record.redemption) {
      const { redemption } = record;
      if (idempotencyKey === null || idempotencyKey !== redemption.idempotencyKey) {
        throw new ApiError('TOKEN_ALREADY_USED', 'The session token has already been used.');
      }
      if (fingerprint !== redemption.fingerprint) {
        throw new ApiError('INVALID_REQUEST', 'This Idempotency-Key was used with a different request.');
      }
      // A client that lost the first answer may come back after the ticket's 60 s.
      const call = calls.get(redemption.callId);
      if (call?.state === 'created' && tickets.usable(call.callId) === null) {
        redemption.response.connectionTicket = tickets.issue(call.callId);
      }
      sendJson(res, 200, redemption.response, { 'Idempotent-Replayed': 'true' });
      return;
    }
    if (Date.now() >= record.expiresAtMs) throw new ApiError('TOKEN_EXPIRED', 'The session token has expired.');
    if (faults.tenant() === 'inactive') throw new ApiError('TENANT_INACTIVE', 'The tenant is inactive.');
    if (faults.tenant() === 'over_quota') throw new ApiError('TENANT_QUOTA_EXCEEDED', 'The tenant is over its quota.');
    const { drillKey, difficulty, state } = parseRedemption(body);

    const { profile, persona } = choosePersona(drillKey, state, new Date());
    const call = calls.create({
      // A replay may issue a fresh ticket until the token is forgotten.
      startDeadlineMs: record.forgetAtMs + TICKET_TTL_MS,
      requestId,
      externalUserId: record.externalUserId,
      externalAgencyId: record.externalAgencyId,
      drillKey,
      difficulty,
      persona,
      profile,
    });
    const response = {
      connectionUrl: connectionUrl(),
      connectionTicket: tickets.issue(call.callId),
      sessionId: call.sessionId,
      callId: call.callId,
      persona,
    };
    tokens.spend(record, { idempotencyKey, fingerprint, callId: call.callId, response });
    sendJson(res, 200, response);
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {string | null}
 */
function readIdempotencyKey(req) {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }
  return key;
}

/**
 * Validates the body. Unknown filters and an unknown `filters.state` are ignored.
 * @param {Record<string, unknown>} body
 * @returns {{ drillKey: string, difficulty: 'Beginner' | 'Advanced' | 'Elite', state: unknown }}
 */
function parseRedemption(body) {
  const { drillKey, filters } = body;
  const difficulty = body.difficulty ?? DEFAULT_DIFFICULTY;
  if (typeof drillKey !== 'string' || drillKey.trim() === '') {
    throw new ApiError('INVALID_REQUEST', 'drillKey is required.');
  }
  if (!(/** @type {readonly string[]} */ (DRILL_KEYS).includes(drillKey)))
    throw new ApiError('DRILL_NOT_FOUND', `Unknown drill: ${drillKey}.`);
  if (typeof difficulty !== 'string' || !(/** @type {readonly string[]} */ (DIFFICULTIES).includes(difficulty))) {
    throw new ApiError('INVALID_REQUEST', `difficulty must be one of ${DIFFICULTIES.join(', ')}.`);
  }
  if (filters !== undefined && filters !== null && !isPlainObject(filters)) {
    throw new ApiError('INVALID_REQUEST', 'filters must be an object.');
  }
  return {
    drillKey,
    difficulty: /** @type {'Beginner' | 'Advanced' | 'Elite'} */ (difficulty),
    state: isPlainObject(filters) ? filters.state : undefined,
  };
}
