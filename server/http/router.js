/**
 * A small router: request ids, CORS, path parameters, 404/405 and error envelopes.
 * @module
 */

import { REQUEST_ID_HEADER } from '../../src/contract/errors.js';
import { randomId } from '../ids.js';
import { corsHeaders, preflightHeaders } from './cors.js';
import { ApiError, sendError } from './envelope.js';

/**
 * @typedef {object} RequestContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {string} requestId The `req_…` id of this request, also in the response header.
 * @property {URL} url
 * @property {Record<string, string>} params Path parameters (`:name` segments).
 */

/** @typedef {(ctx: RequestContext) => Promise<void> | void} Handler */

/**
 * @typedef {object} Route
 * @property {string[]} segments
 * @property {Map<string, Handler>} handlers by method
 * @property {boolean} cors
 */

/**
 * @param {{ log: (line: string) => void }} options
 */
export function createRouter({ log }) {
  /** @type {Route[]} */
  const routes = [];

  /**
   * Registers a handler. Routes with `cors` answer preflights and carry CORS headers on every
   * response, errors included.
   * @param {string} method
   * @param {string} pattern e.g. `/api/external/v1/calls/:callId`
   * @param {Handler} handler
   * @param {{ cors?: boolean }} [options]
   */
  function route(method, pattern, handler, options = {}) {
    const segments = pattern.split('/');
    let entry = routes.find((r) => r.segments.join('/') === pattern);
    if (!entry) {
      entry = { segments, handlers: new Map(), cors: false };
      routes.push(entry);
    }
    entry.handlers.set(method, handler);
    entry.cors ||= Boolean(options.cors);
  }

  /**
   * @param {string} path
   * @returns {{ route: Route, params: Record<string, string> } | null}
   */
  function match(path) {
    const parts = path.split('/');
    for (const candidate of routes) {
      if (candidate.segments.length !== parts.length) continue;
      /** @type {Record<string, string>} */
      const params = {};
      const matched = candidate.segments.every((segment, i) => {
        const part = /** @type {string} */ (parts[i]);
        if (!segment.startsWith(':')) return segment === part;
        params[segment.slice(1)] = part;
        return part !== '';
      });
      if (matched) return { route: candidate, params };
    }
    return null;
  }

  /**
   * The node:http request listener.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const requestId = randomId('req_');
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const method = req.method ?? 'GET';
    // Query strings may carry anything a client put there: log lines name the path only.
    const path = (req.url ?? '/').split('?')[0];
    let outcome = '';
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const found = match(url.pathname);
      if (!found) throw new ApiError('INVALID_REQUEST', `No such endpoint: ${method} ${url.pathname}`, { status: 404 });
      const { route: matched, params } = found;
      const methods = [...matched.handlers.keys()];
      if (matched.cors) {
        for (const [name, value] of Object.entries(corsHeaders())) res.setHeader(name, value);
        if (method === 'OPTIONS') {
          res.writeHead(204, preflightHeaders(methods)).end();
          return;
        }
      }
      const handler = matched.handlers.get(method);
      if (!handler) {
        throw new ApiError('INVALID_REQUEST', `Method ${method} is not allowed here.`, {
          status: 405,
          headers: { Allow: methods.join(', ') },
        });
      }
      await handler({ req, res, requestId, url, params: decodeParams(params) });
    } catch (error) {
      if (abortedByClient(req)) {
        outcome = 'aborted by the client';
        res.destroy();
        return;
      }
      if (!(error instanceof ApiError))
        log(`internal error on ${method} ${path}: ${error instanceof Error ? error.stack : error}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, requestId, error instanceof ApiError ? error : new ApiError('INTERNAL_ERROR', 'Internal server error.'));
    } finally {
      log(`${method} ${path} ${outcome || res.statusCode} ${requestId}`);
    }
  }

  return { route, handle };
}

/**
 * Whether the client went away before it finished sending its request: not a server error.
 * @param {import('node:http').IncomingMessage} req
 */
function abortedByClient(req) {
  return !req.complete && (req.destroyed || req.socket.destroyed);
}

/**
 * @param {Record<string, string>} params
 */
function decodeParams(params) {
  try {
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch {
    throw new ApiError('INVALID_REQUEST', 'Malformed path.', { status: 404 });
  }
}
