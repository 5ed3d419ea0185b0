/**
 * The demo page's own backend, written the way an integrator writes theirs: it holds the Athos
 * API key and talks to the Athos REST API server-side, so the key never reaches the browser.
 *
 * `createDemoApi()` is the logic, independent of any HTTP server; `demoBackend()` mounts it on
 * a Vite dev server under `/demo-api` (used by `npm start`), and the end-to-end fixtures route
 * the page's `/demo-api` requests to it.
 * @module
 */

/** Who the demo's rep is, as the integrator's backend would know from its own login. */
const DEMO_USER_ID = 'qa-demo-rep';

/** A call shows up over REST only once scored; wait this long for it. */
const CALL_WAIT_MS = 15_000;
const CALL_POLL_MS = 250;

/** Largest request body the backend reads. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * @typedef {object} DemoApiOptions
 * @property {string} athosUrl Base URL of the Athos server, e.g. `http://127.0.0.1:8787`.
 * @property {string} apiKey The Athos API key; stays on the server.
 * @property {string | null} faultSecret The Athos server's fault secret, null when its
 *   `/__faults` controls are off; stays on the server.
 */

/**
 * @typedef {object} DemoRequest
 * @property {string} method
 * @property {string} path below `/demo-api`
 * @property {string} [body] the raw request body
 * @property {string} [origin] the request's `Origin` header
 * @property {string} ownOrigin the origin the demo is served from
 */

/** @typedef {{ status: number, body: unknown }} DemoResponse */

/**
 * The demo backend's routes, relative to `/demo-api`:
 * - `GET /config`: `{ apiBase, faults }`, what the page needs to start calls and show the QA panel;
 * - `POST /token`: a fresh session token `{ token, expiresAt }`, minted with the API key;
 * - `GET /calls/:callId`: the call as the REST API returns it, waiting briefly until it is scored;
 * - `GET /faults` and `POST /faults/:name`: the Athos server's fault controls, with the fault
 *   secret added; a POST only from the demo's own origin, so that no other page can use them.
 *
 * Athos errors are passed through with their status and envelope.
 * @param {DemoApiOptions} options
 * @returns {(request: DemoRequest) => Promise<DemoResponse>}
 */
export function createDemoApi({ athosUrl, apiKey, faultSecret }) {
  /**
   * @param {string} method
   * @param {string} path below `/api/external/v1`
   * @param {unknown} [body]
   * @returns {Promise<DemoResponse>}
   */
  async function rest(method, path, body) {
    const response = await fetch(`${athosUrl}/api/external/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /**
   * Passes a request on to the Athos server's fault controls, with the fault secret.
   * @param {'GET' | 'POST'} method
   * @param {string} path below `/__faults`
   * @param {string} [body] JSON; none reads as `{}`
   * @returns {Promise<DemoResponse>}
   */
  async function fault(method, path, body) {
    const response = await fetch(`${athosUrl}/__faults${path}`, {
      method,
      headers: { 'X-Athos-Fault-Secret': faultSecret ?? '', 'Content-Type': 'application/json' },
      body: method === 'POST' ? body || '{}' : undefined,
    });
    return { status: response.status, body: await response.json() };
  }

  /** @param {string} callId */
  async function scoredCall(callId) {
    const deadline = Date.now() + CALL_WAIT_MS;
    for (;;) {
      const answer = await rest('GET', `/calls/${encodeURIComponent(callId)}`);
      if (answer.status !== 404 || Date.now() >= deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, CALL_POLL_MS));
    }
  }

  return async ({ method, path, body, origin, ownOrigin }) => {
    if (method === 'GET' && path === '/config') return { status: 200, body: { apiBase: athosUrl, faults: faultSecret !== null } };
    if (method === 'POST' && path === '/token') return rest('POST', '/session', { externalUserId: DEMO_USER_ID });
    const call = /^\/calls\/(athos_call_[\w-]+)$/.exec(path);
    if (method === 'GET' && call?.[1]) return scoredCall(call[1]);
    if (faultSecret !== null && method === 'GET' && path === '/faults') return fault('GET', '');
    const control = /^\/faults(\/[a-z-]+)$/.exec(path);
    if (faultSecret !== null && method === 'POST' && control?.[1]) {
      if (origin !== ownOrigin) {
        return { status: 403, body: { error: { code: 'FORBIDDEN', message: 'Only the demo page may use the fault controls.' } } };
      }
      return fault('POST', control[1], body);
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: `No demo route ${method} ${path}.` } } };
  };
}

/**
 * A Vite plugin that serves {@link createDemoApi} under `/demo-api` and redirects `/` to the
 * demo page.
 * @param {DemoApiOptions} options
 * @returns {import('vite').Plugin}
 */
export function demoBackend(options) {
  const handle = createDemoApi(options);
  return {
    name: 'athos-demo-backend',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== '/') return next();
        res.writeHead(302, { Location: '/demo/' }).end();
      });
      server.middlewares.use('/demo-api', (req, res) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const { origin, host } = req.headers;
        void readBody(req)
          .then((body) =>
            body === null
              ? { status: 413, body: { error: { code: 'TOO_LARGE', message: 'The request body is too large.' } } }
              : handle({ method: req.method ?? 'GET', path, body, origin, ownOrigin: `http://${host}` }),
          )
          .catch((error) => ({
            status: 502,
            body: { error: { code: 'ATHOS_UNREACHABLE', message: `The Athos server did not answer: ${error.message}` } },
          }))
          .then(({ status, body }) => {
            res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
            res.end(JSON.stringify(body));
          });
      });
    },
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string | null>} null when over {@link MAX_BODY_BYTES}
 */
async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY_BYTES) return null;
  }
  return body;
}
