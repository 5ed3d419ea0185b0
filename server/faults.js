/**
 * Fault injection for tests and the demo's QA panel: the state the REST API and the gateway
 * consult, and the `/__faults` endpoints that change it (only registered with ATHOS_FAULTS=1).
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP_STATUS_BY_CODE } from '../src/contract/errors.js';
import { readJsonBody } from './http/body.js';
import { ApiError, sendError, sendJson } from './http/envelope.js';

/** @typedef {'active' | 'inactive' | 'over_quota'} TenantState */
/** @typedef {'json' | 'html' | 'empty' | 'invalid-json'} FaultBody */

/**
 * How the next redemptions fail. Without `status` the redemption proceeds normally after
 * `delayMs`.
 * @typedef {object} RedemptionFault
 * @property {number | null} status
 * @property {string} code
 * @property {number | null} retryAfterSec
 * @property {FaultBody} body
 * @property {number} delayMs
 * @property {number} remaining
 */

const TENANT_STATES = /** @type {const} */ (['active', 'inactive', 'over_quota']);
const FAULT_BODIES = /** @type {const} */ (['json', 'html', 'empty', 'invalid-json']);
/** Error code of an injected status given without a code. */
const CODE_BY_STATUS = /** @type {Record<number, string>} */ ({
  400: 'INVALID_REQUEST',
  401: 'INVALID_TOKEN',
  403: 'TENANT_INACTIVE',
  429: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
});

export function createFaults() {
  let stalledUntil = 0;
  let refuseResumesUntil = 0;
  /** @type {TenantState} */
  let tenant = 'active';
  /** @type {RedemptionFault | null} */
  let redemption = null;

  return {
    /** Voice sockets neither read nor write. */
    stalled: () => Date.now() < stalledUntil,
    /** When the current or last stall ends or ended (0 if none): timeouts count from here. */
    stallEndsAt: () => stalledUntil,
    /** `resume` is refused with 4503. */
    refusingResumes: () => Date.now() < refuseResumesUntil,
    tenant: () => tenant,

    /** @param {number} seconds */
    stall(seconds) {
      stalledUntil = Date.now() + seconds * 1000;
    },
    /** @param {number} seconds */
    refuseResumes(seconds) {
      refuseResumesUntil = Date.now() + seconds * 1000;
    },
    /** @param {TenantState} state */
    setTenant(state) {
      tenant = state;
    },
    /** @param {RedemptionFault} fault */
    failRedemptions(fault) {
      redemption = fault;
    },

    /**
     * Applies the injected redemption fault, if any, to this redemption.
     * @param {import('./http/router.js').RequestContext} ctx
     * @returns {Promise<boolean>} true when the response was sent
     */
    async injectRedemptionFault(ctx) {
      const fault = redemption;
      if (!fault) return false;
      fault.remaining -= 1;
      if (fault.remaining === 0) redemption = null;
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.status === null) return false;
      sendFault(ctx, fault);
      return true;
    },

    reset() {
      stalledUntil = 0;
      refuseResumesUntil = 0;
      tenant = 'active';
      redemption = null;
    },

    snapshot() {
      const until = (/** @type {number} */ ms) => (ms > Date.now() ? new Date(ms).toISOString() : null);
      return {
        enabled: true,
        stalledUntil: until(stalledUntil),
        refusingReconnectsUntil: until(refuseResumesUntil),
        tenant,
        nextRedemption: redemption && { ...redemption },
      };
    },
  };
}

/** @typedef {ReturnType<typeof createFaults>} Faults */

/**
 * @param {import('./http/router.js').RequestContext} ctx
 * @param {RedemptionFault} fault
 */
function sendFault({ res, requestId }, fault) {
  const status = /** @type {number} */ (fault.status);
  /** @type {Record<string, string>} */
  const headers = fault.retryAfterSec === null ? {} : { 'Retry-After': String(fault.retryAfterSec) };
  if (fault.body === 'json') {
    sendError(res, requestId, new ApiError(fault.code, `Injected fault: ${fault.code}.`, { status, headers }));
  } else if (fault.body === 'html') {
    res
      .writeHead(status, { ...headers, 'Content-Type': 'text/html' })
      .end(`<html><body><h1>${status}</h1>Injected fault.</body></html>`);
  } else if (fault.body === 'invalid-json') {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end('{"error": {"code": ');
  } else {
    res.writeHead(status, headers).end();
  }
}

/** The header that carries the fault secret. */
export const FAULT_SECRET_HEADER = 'X-Athos-Fault-Secret';

/**
 * @typedef {object} FaultTargets
 * @property {string} secret what every request must carry in {@link FAULT_SECRET_HEADER}
 * @property {Faults} faults
 * @property {{ dropAll(closeCode?: number): number, endCalls(callId?: string): string[] }} gateway
 * @property {{ get(callId: string): import('./store/calls.js').CallRecord | undefined, all(): import('./store/calls.js').CallRecord[] }} calls
 */

/**
 * Registers the `/__faults` endpoints. They answer only requests that carry the fault secret,
 * and never browsers on other origins (no CORS): the demo's page reaches them through its own
 * backend, which holds the secret.
 * @param {ReturnType<typeof import('./http/router.js').createRouter>} router
 * @param {FaultTargets} targets
 */
export function registerFaultRoutes(router, { secret, faults, gateway, calls }) {
  const expected = Buffer.from(secret);
  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path below `/__faults`
   * @param {import('./http/router.js').Handler} handler
   */
  const route = (method, path, handler) =>
    router.route(method, `/__faults${path}`, (ctx) => {
      const given = Buffer.from(String(ctx.req.headers[FAULT_SECRET_HEADER.toLowerCase()] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError('INVALID_API_KEY', `The fault controls need the ${FAULT_SECRET_HEADER} header.`);
      }
      return handler(ctx);
    });
  /**
   * @param {string} path
   * @param {(body: Record<string, unknown>) => unknown} action returns the response body
   */
  const post = (path, action) =>
    route('POST', path, async (ctx) => sendJson(ctx.res, 200, action(await readJsonBody(ctx.req)) ?? faults.snapshot()));

  route('GET', '', (ctx) => sendJson(ctx.res, 200, faults.snapshot()));
  post('/reset', () => faults.reset());
  post('/drop', (body) => ({ dropped: gateway.dropAll(closeCode(body.closeCode)) }));
  post('/stall', (body) => faults.stall(seconds(body)));
  post('/refuse-reconnects', (body) => faults.refuseResumes(seconds(body)));
  post('/tenant', (body) => faults.setTenant(oneOf(body.state, TENANT_STATES, 'state')));
  post('/next-redemption', (body) => faults.failRedemptions(redemptionFault(body)));
  post('/end-call', (body) => {
    const callId = body.callId === undefined ? undefined : text(body.callId, 'callId');
    const ended = gateway.endCalls(callId);
    if (callId && ended.length === 0) throw new ApiError('CALL_NOT_FOUND', 'No live call with that id.');
    return { ended };
  });
  // Every call's id and state, in creation order: lets a test watch a call it did not start
  // itself (one started by the page at load) without touching the page.
  route('GET', '/calls', (ctx) => sendJson(ctx.res, 200, { calls: calls.all().map(({ callId, state }) => ({ callId, state })) }));
  route('GET', '/calls/:callId', (ctx) => {
    const call = calls.get(ctx.params.callId ?? '');
    if (!call) throw new ApiError('CALL_NOT_FOUND', 'No call with that id.');
    sendJson(ctx.res, 200, {
      callId: call.callId,
      state: call.state,
      codec: call.codec,
      ...call.stats,
      userTurns: call.transcript.filter((t) => t.role === 'user').length,
      personaTurns: call.transcript.filter((t) => t.role === 'assistant').length,
      endedReason: call.endedReason,
    });
  });
}

/**
 * @param {Record<string, unknown>} body
 * @returns {RedemptionFault}
 */
function redemptionFault(body) {
  const code = body.code === undefined ? null : text(body.code, 'code');
  if (code !== null && !/^[A-Z][A-Z0-9_]{0,63}$/.test(code)) throw invalid('code must be an UPPER_SNAKE error code');
  const faultBody = body.body === undefined ? 'json' : oneOf(body.body, FAULT_BODIES, 'body');
  let status = integer(body.status, 'status', 400, 599);
  if (status === null && (code !== null || faultBody !== 'json')) {
    status =
      code === null ? 500 : (HTTP_STATUS_BY_CODE[/** @type {import('../src/contract/errors.js').ErrorCode} */ (code)] ?? 500);
  }
  const retryAfterSec = integer(body.retryAfterSec, 'retryAfterSec', 0, 3600);
  return {
    status,
    code: code ?? CODE_BY_STATUS[status ?? 0] ?? 'INTERNAL_ERROR',
    retryAfterSec: retryAfterSec ?? (status === 429 ? 1 : null),
    body: faultBody,
    delayMs: integer(body.delayMs, 'delayMs', 0, 30000) ?? 0,
    remaining: integer(body.times, 'times', 1, 1000) ?? 1,
  };
}

/**
 * A close code a server may send: 1000, 1001, 1011, or one of the application's 4000–4999.
 * @param {unknown} value
 * @returns {number | undefined} undefined when absent
 */
function closeCode(value) {
  if (value === undefined) return undefined;
  const code = typeof value === 'number' && Number.isInteger(value) ? value : Number.NaN;
  if (!([1000, 1001, 1011].includes(code) || (code >= 4000 && code <= 4999))) {
    throw invalid('closeCode must be 1000, 1001, 1011 or from 4000 to 4999');
  }
  return code;
}

/** @param {Record<string, unknown>} body */
function seconds(body) {
  const value = body.seconds;
  if (typeof value !== 'number' || !(value > 0 && value <= 600)) throw invalid('seconds must be a number in (0, 600]');
  return value;
}

/**
 * @template {string} T
 * @param {unknown} value
 * @param {readonly T[]} allowed
 * @param {string} name
 * @returns {T}
 */
function oneOf(value, allowed, name) {
  if (!allowed.includes(/** @type {T} */ (value))) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return /** @type {T} */ (value);
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function text(value, name) {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} must be a non-empty string`);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @param {number} min
 * @param {number} max
 * @returns {number | null} null when absent
 */
function integer(value, name, min, max) {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || /** @type {number} */ (value) < min || /** @type {number} */ (value) > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
  return /** @type {number} */ (value);
}

/** @param {string} message */
function invalid(message) {
  return new ApiError('INVALID_REQUEST', message);
}
