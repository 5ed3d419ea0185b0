/**
 * `GET /calls` and `GET /calls/{callId}`: scored calls for the integrator's backend.
 * @module
 */
import { ApiError, sendJson } from '../http/envelope.js';
import { compareNewestFirst } from '../store/calls.js';
import { requireApiKey } from './auth.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * @typedef {object} CallsDeps
 * @property {string} apiKey
 * @property {ReturnType<typeof import('../store/calls.js').createCallStore>} calls
 */

/**
 * Lists scored calls started in [from, to], newest first, a page at a time.
 * @param {CallsDeps} deps
 * @returns {import('../http/router.js').Handler}
 */
export function listCallsHandler({ apiKey, calls }) {
  return ({ req, res, url }) => {
    requireApiKey(req, apiKey);
    const query = url.searchParams;
    const from = isoDate(query.get('from'), 'from');
    if (from === null) throw new ApiError('INVALID_REQUEST', 'from is required (an ISO 8601 date).');
    const to = isoDate(query.get('to'), 'to');
    const limit = pageLimit(query.get('limit'));
    const after = decodeCursor(query.get('cursor'));
    const userId = query.get('externalUserId');
    const agencyId = query.get('externalAgencyId');

    const matching = calls.scored().filter((call) => {
      const started = Date.parse(call.startedAt ?? '');
      return (
        started >= from &&
        (to === null || started <= to) &&
        (userId === null || call.externalUserId === userId) &&
        (agencyId === null || call.externalAgencyId === agencyId) &&
        (after === null || compareNewestFirst(after, call) < 0)
      );
    });
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    sendJson(res, 200, {
      data: page.map(publicCall),
      nextCursor: matching.length > limit && last ? encodeCursor(last) : null,
    });
  };
}

/**
 * One scored call; a call that is unknown or not scored yet is CALL_NOT_FOUND.
 * @param {CallsDeps} deps
 * @returns {import('../http/router.js').Handler}
 */
export function getCallHandler({ apiKey, calls }) {
  return ({ req, res, params }) => {
    requireApiKey(req, apiKey);
    const call = calls.get(params.callId ?? '');
    if (call?.state !== 'scored') throw new ApiError('CALL_NOT_FOUND', 'No call with that id.');
    sendJson(res, 200, publicCall(call));
  };
}

/**
 * The REST representation of a call.
 * @param {import('../store/calls.js').CallRecord} call
 */
function publicCall(call) {
  return {
    callId: call.callId,
    sessionId: call.sessionId,
    externalUserId: call.externalUserId,
    externalAgencyId: call.externalAgencyId,
    drillKey: call.drillKey,
    difficulty: call.difficulty,
    persona: call.persona,
    status: call.state,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    durationSec: call.durationSec,
    endedReason: call.endedReason,
    transcript: call.transcript,
    score: call.score,
  };
}

/**
 * @param {string | null} value
 * @param {string} name
 * @returns {number | null} epoch ms, null when absent
 */
function isoDate(value, name) {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (!ISO_DATE.test(value) || Number.isNaN(ms)) throw new ApiError('INVALID_REQUEST', `${name} must be an ISO 8601 date.`);
  return ms;
}

/** @param {string | null} value */
function pageLimit(value) {
  if (value === null) return DEFAULT_LIMIT;
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : 0;
  if (limit < 1 || limit > MAX_LIMIT) throw new ApiError('INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_LIMIT}.`);
  return limit;
}

/**
 * A cursor is the position of the last call of a page.
 * @param {{ startedAt: string | null, callId: string }} call
 */
function encodeCursor({ startedAt, callId }) {
  return Buffer.from(JSON.stringify({ startedAt, callId })).toString('base64url');
}

/**
 * @param {string | null} value
 * @returns {{ startedAt: string, callId: string } | null}
 */
function decodeCursor(value) {
  if (value === null) return null;
  try {
    const { startedAt, callId } = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof startedAt === 'string' && typeof callId === 'string' && !Number.isNaN(Date.parse(startedAt))) {
      return { startedAt, callId };
    }
  } catch {
    // reported below
  }
  throw new ApiError('INVALID_REQUEST', 'cursor is not valid.');
}
