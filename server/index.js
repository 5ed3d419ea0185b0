/**
 * The local Athos server: REST API, voice gateway and scripted persona on one port.
 * @module
 */
import { createServer } from 'node:http';
import { resolveConfig, urlHost } from './config.js';
import { createFaults, registerFaultRoutes } from './faults.js';
import { createGateway } from './gateway/gateway.js';
import { VOICE_PATH } from './gateway/protocol.js';
import { createConnectionLimit, SERVER_TIMEOUTS } from './http/connections.js';
import { createRouter } from './http/router.js';
import { randomSecret } from './ids.js';
import { loadLineAudio } from './persona/audio.js';
import { scriptedPersonaFactory } from './persona/scripted.js';
import { getCallHandler, listCallsHandler } from './rest/calls.js';
import { healthHandler } from './rest/health.js';
import { createMintLimit } from './rest/mint-limit.js';
import { redeemHandler } from './rest/roleplay.js';
import { mintSessionHandler } from './rest/session.js';
import { scoreCall } from './score.js';
import { createCallStore } from './store/calls.js';
import { createTicketStore } from './store/tickets.js';
import { createTokenStore } from './store/tokens.js';
import { createWebhookSender } from './webhook.js';

export { configFromEnv } from './config.js';

const API_BASE = '/api/external/v1';
/** How often expired tokens and tickets and calls past retention are dropped from memory. */
const SWEEP_MS = 5000;

/**
 * @typedef {object} AthosServer
 * @property {string} url base URL, e.g. `http://127.0.0.1:8787`
 * @property {number} port
 * @property {string} apiKey the API key the server accepts
 * @property {string | null} faultSecret what `/__faults` requests carry in `X-Athos-Fault-Secret`;
 *   null when the fault controls are off
 * @property {() => Promise<void>} close closes every socket (voice sockets with 1001) and stops listening
 */

/**
 * Starts the server.
 * @param {Partial<import('./config.js').AthosServerConfig>} [overrides] defaults apply to what is left out
 * @returns {Promise<AthosServer>}
 */
export async function startAthosServer(overrides = {}) {
  const config = resolveConfig(overrides);
  const { log } = config;
  const createPersona = config.createPersona ?? scriptedPersonaFactory(await loadLineAudio());
  const tokens = createTokenStore({ ttlSec: config.tokenTtlSec });
  const tickets = createTicketStore();
  const calls = createCallStore({ retentionSec: config.callRetentionSec });
  const faults = createFaults();
  const webhook = createWebhookSender({ url: config.webhookUrl, secret: config.webhookSecret, log });
  const connectionLimit = createConnectionLimit();
  const gateway = createGateway({
    limits: config,
    calls,
    tickets,
    faults,
    createPersona,
    log,
    onAuthenticated: connectionLimit.authenticated,
    onCallEnded(call) {
      call.state = 'scoring';
      call.score = scoreCall(call.transcript);
      call.state = 'scored';
      void webhook.callScored(call);
    },
  });

  let connectionUrl = '';
  const router = createRouter({ log });
  const limit = createMintLimit({ ratePerSec: config.mintRatePerSec });
  router.route('POST', `${API_BASE}/session`, mintSessionHandler({ apiKey: config.apiKey, tokens, limit }));
  router.route(
    'POST',
    `${API_BASE}/roleplay/session`,
    redeemHandler({ tokens, tickets, calls, faults, connectionUrl: () => connectionUrl }),
    { cors: true },
  );
  router.route('GET', `${API_BASE}/health`, healthHandler({ connectionUrl: () => connectionUrl }), { cors: true });
  router.route('GET', `${API_BASE}/calls`, listCallsHandler({ apiKey: config.apiKey, calls }));
  router.route('GET', `${API_BASE}/calls/:callId`, getCallHandler({ apiKey: config.apiKey, calls }));
  const faultSecret = config.faults ? (config.faultSecret ?? randomSecret('afs_')) : null;
  if (faultSecret) registerFaultRoutes(router, { secret: faultSecret, faults, gateway, calls });

  const server = createServer(SERVER_TIMEOUTS, (req, res) => void router.handle(req, res));
  server.on('connection', connectionLimit.track);
  server.on('upgrade', gateway.handleUpgrade);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(undefined));
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const host = urlHost(config.host);
  connectionUrl = `ws://${host}:${port}${VOICE_PATH}`;
  const sweeper = setInterval(() => {
    const now = Date.now();
    tokens.sweep(now);
    tickets.sweep(now);
    calls.sweep(now);
  }, SWEEP_MS).unref();

  /** @type {Promise<void> | null} */
  let closing = null;
  return {
    url: `http://${host}:${port}`,
    port,
    apiKey: config.apiKey,
    faultSecret,
    close() {
      closing ??= new Promise((resolve) => {
        clearInterval(sweeper);
        gateway.close();
        webhook.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
