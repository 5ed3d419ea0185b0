/**
 * Server configuration: defaults, environment parsing and validation.
 * @module
 */
import { RESUME_WINDOW_MS } from '../src/contract/voice.js';

/**
 * @typedef {object} AthosServerConfig
 * @property {string} host Interface to bind (ATHOS_HOST).
 * @property {number} port Port to bind; 0 picks a free one (ATHOS_PORT).
 * @property {string} apiKey The API key the server accepts (ATHOS_API_KEY).
 * @property {number} tokenTtlSec Session token lifetime (ATHOS_TOKEN_TTL_SEC).
 * @property {number} maxCallSec Call duration ceiling (ATHOS_MAX_CALL_SEC).
 * @property {number} resumeWindowSec How long a dropped call waits for a resume (ATHOS_RESUME_WINDOW_SEC).
 * @property {number} callRetentionSec How long an ended call is kept (ATHOS_CALL_RETENTION_SEC).
 * @property {number} mintRatePerSec Session tokens the API key may mint per second, on average
 *   (ATHOS_MINT_RATE_PER_SEC); bursts up to ten seconds' worth.
 * @property {string | null} webhookUrl Where `call.scored` is posted (ATHOS_WEBHOOK_URL).
 * @property {string} webhookSecret The `whsec_…` signing secret (ATHOS_WEBHOOK_SECRET).
 * @property {boolean} faults Whether the `/__faults` controls exist (ATHOS_FAULTS=1).
 * @property {string | null} faultSecret What every `/__faults` request must carry in
 *   `X-Athos-Fault-Secret` (ATHOS_FAULT_SECRET); null makes a random one at start.
 * @property {(line: string) => void} log Receives one line per notable event; never secrets.
 * @property {import('./persona/engine.js').PersonaFactory | null} createPersona
 *   Builds the persona engine of a call; null uses the scripted persona.
 */

export const DEFAULT_API_KEY = 'ath_test_local';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_test_local';

/** @type {AthosServerConfig} */
const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  apiKey: DEFAULT_API_KEY,
  tokenTtlSec: 300,
  maxCallSec: 7200,
  resumeWindowSec: RESUME_WINDOW_MS / 1000,
  callRetentionSec: 86_400,
  mintRatePerSec: 100,
  webhookUrl: null,
  webhookSecret: DEFAULT_WEBHOOK_SECRET,
  faults: false,
  faultSecret: null,
  log: () => {},
  createPersona: null,
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads the ATHOS_* environment variables into a partial config; unset variables are left out
 * so that defaults apply.
 * @param {Record<string, string | undefined>} env
 * @returns {Partial<AthosServerConfig>}
 */
export function configFromEnv(env) {
  /** @type {Partial<AthosServerConfig>} */
  const config = {};
  const text = (/** @type {string} */ name) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const number = (/** @type {string} */ name) => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer`);
    return Number(value);
  };
  const faults = text('ATHOS_FAULTS');
  const fields = {
    host: text('ATHOS_HOST'),
    port: number('ATHOS_PORT'),
    apiKey: text('ATHOS_API_KEY'),
    tokenTtlSec: number('ATHOS_TOKEN_TTL_SEC'),
    maxCallSec: number('ATHOS_MAX_CALL_SEC'),
    resumeWindowSec: number('ATHOS_RESUME_WINDOW_SEC'),
    callRetentionSec: number('ATHOS_CALL_RETENTION_SEC'),
    mintRatePerSec: number('ATHOS_MINT_RATE_PER_SEC'),
    webhookUrl: text('ATHOS_WEBHOOK_URL'),
    webhookSecret: text('ATHOS_WEBHOOK_SECRET'),
    faults: faults === undefined ? undefined : faults === '1',
    faultSecret: text('ATHOS_FAULT_SECRET'),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  return config;
}

/**
 * Fills in defaults and rejects values the server cannot run with.
 * @param {Partial<AthosServerConfig>} [overrides]
 * @returns {AthosServerConfig}
 */
export function resolveConfig(overrides = {}) {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  /** @type {AthosServerConfig} */
  const config = { ...DEFAULTS, ...defined };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new Error('port must be an integer from 0 to 65535');
  }
  for (const key of /** @type {const} */ ([
    'tokenTtlSec',
    'maxCallSec',
    'resumeWindowSec',
    'callRetentionSec',
    'mintRatePerSec',
  ])) {
    if (!(Number.isFinite(config[key]) && config[key] > 0)) throw new Error(`${key} must be a positive number`);
  }
  if (!config.apiKey) throw new Error('apiKey must not be empty');
  if (config.webhookUrl) checkWebhookUrl(config.webhookUrl);
  return config;
}

/**
 * A webhook may go to any https URL, or over plain http to this machine only.
 * @param {string} value
 */
function checkWebhookUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error('webhookUrl is not a valid URL');
  }
  const local = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return;
  throw new Error('webhookUrl must use https, or http to localhost / 127.0.0.1 / [::1]');
}

/**
 * The host part of a URL for the bound interface: wildcard binds are reached through loopback,
 * IPv6 literals get brackets.
 * @param {string} host
 */
export function urlHost(host) {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
