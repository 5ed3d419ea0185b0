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

/**
 * @typedef {object} DemoApiOptions
 * @property {string} athosUrl Base URL of the Athos server, e.g. `http://127.0.0.1:8787`.
 * @property {string} apiKey The Athos API key; stays on the server.
 * @property {boolean} faults Whether the Athos server's `/__faults` controls are on.
 */

/** @typedef {{ status: number, body: unknown }} DemoResponse */

/**
 * The demo backend's routes, relative to `/demo-api`:
 * - `GET /config`: `{ apiBase, faults }`, what the page needs to start calls and show the QA panel;
 * - `POST /token`: a fresh session token `{ token, expiresAt }`, minted with the API key;
 * - `GET /calls/:callId`: the call as the REST API returns it, waiting briefly until it is scored.
 *
 * Athos errors are passed through with their status and envelope.
 * @param {DemoApiOptions} options
 * @returns {(request: { method: string, path: string }) => Promise<DemoResponse>}
 */
export function createDemoApi({ athosUrl, apiKey, faults }) {
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

  /** @param {string} callId */
  async function scoredCall(callId) {
    const deadline = Date.now() + CALL_WAIT_MS;
    for (;;) {
      const answer = await rest('GET', `/calls/${encodeURIComponent(callId)}`);
      if (answer.status !== 404 || Date.now() >= deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, CALL_POLL_MS));
    }
  }

  return async ({ method, path }) => {
    if (method === 'GET' && path === '/config') return { status: 200, body: { apiBase: athosUrl, faults } };
    if (method === 'POST' && path === '/token') return rest('POST', '/session', { externalUserId: DEMO_USER_ID });
    const call = /^\/calls\/(athos_call_[\w-]+)$/.exec(path);
    if (method === 'GET' && call?.[1]) return scoredCall(call[1]);
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
        void handle({ method: req.method ?? 'GET', path })
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
