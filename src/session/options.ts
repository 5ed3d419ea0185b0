import { DIFFICULTIES } from '../contract/drills.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { isSecureOrLocal } from '../utils/url.ts';
import type { AthosDrillKey } from './drills.ts';
import type { AthosTokenFunction } from './token.ts';

/** Persona difficulty: a cooperative, a standard or a tough prospect. */
export type AthosDifficulty = (typeof DIFFICULTY_NAMES)[number];

/** The contract's difficulties, held here so that the bundled type declarations spell them out. */
const DIFFICULTY_NAMES = DIFFICULTIES;

/** The options of `AthosRoleplay.create()`. */
export interface AthosRoleplayCreateOptions {
  /**
   * The single-use session token your backend minted with `POST /v1/session`, or a function
   * that mints one when `connect()` needs it (after the microphone was granted; cancelled by
   * `disconnect()`). Required.
   */
  token: string | AthosTokenFunction;
  /** The drill to practise, e.g. `'ma-full-sale'`. Required. See `ATHOS_DRILL_KEYS`. */
  drillKey: AthosDrillKey;
  /** Persona difficulty. The server's default is `'Advanced'`. */
  difficulty?: AthosDifficulty;
  /** Persona preferences; best effort, never an error. */
  filters?: { state?: string; category?: string };
  /** Log to the console with an `[Athos]` prefix. The token is never printed. */
  debug?: boolean;
  /** Athos base URL. Defaults to `https://app.useathos.ai`; use the local server in development. */
  apiBase?: string;
  /**
   * URL of the capture AudioWorklet module (`dist/athos-worklet.js` of the package, exported as `@useathos/sdk/worklet.js`), for
   * sites whose Content-Security-Policy forbids `blob:` workers. By default the worklet is
   * loaded from the bundle through a Blob URL.
   */
  workletUrl?: string;
  /**
   * URL of the SDK's Worker script (`dist/athos-worker.js` of the package, exported as
   * `@useathos/sdk/worker.js`), served from the page's own origin, for sites whose
   * Content-Security-Policy forbids `blob:` workers. By default the Worker is loaded from the
   * bundle through a Blob URL.
   */
  workerUrl?: string;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  token: string | AthosTokenFunction;
  drillKey: string;
  difficulty: AthosDifficulty | undefined;
  filters: { state?: string; category?: string } | undefined;
  debug: boolean;
  apiBase: string;
  workletUrl: string | undefined;
  workerUrl: string | undefined;
}

/** Where the SDK redeems tokens unless `apiBase` says otherwise. */
export const DEFAULT_API_BASE = 'https://app.useathos.ai';

/**
 * Validates `create()` options when `connect()` starts, before any network or media work.
 * A missing or blank token (neither a non-blank string nor a function) is `INVALID_TOKEN`;
 * everything else that is wrong is `INVALID_REQUEST`.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  const input = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const invalid = (message: string) => new AthosRoleplayError('INVALID_REQUEST', message, { phase: 'connect' });

  const token = input.token;
  if (typeof token !== 'function' && (typeof token !== 'string' || token.trim() === '')) {
    throw new AthosRoleplayError('INVALID_TOKEN', 'The `token` option is missing or blank.', { phase: 'connect' });
  }
  if (typeof input.drillKey !== 'string' || input.drillKey.trim() === '') {
    throw invalid('The `drillKey` option is missing or blank.');
  }
  if (input.difficulty !== undefined && !(DIFFICULTY_NAMES as readonly unknown[]).includes(input.difficulty)) {
    throw invalid(`The \`difficulty\` option must be one of ${DIFFICULTY_NAMES.join(', ')}.`);
  }
  if (input.filters !== undefined && (typeof input.filters !== 'object' || input.filters === null)) {
    throw invalid('The `filters` option must be an object.');
  }
  for (const name of ['workletUrl', 'workerUrl']) {
    if (input[name] !== undefined && typeof input[name] !== 'string') throw invalid(`The \`${name}\` option must be a string.`);
  }
  return {
    token: token as string | AthosTokenFunction,
    drillKey: input.drillKey,
    difficulty: input.difficulty as AthosDifficulty | undefined,
    filters: input.filters as ResolvedOptions['filters'],
    debug: input.debug === true,
    apiBase: resolveApiBase(input.apiBase),
    workletUrl: input.workletUrl as string | undefined,
    workerUrl: input.workerUrl as string | undefined,
  };
}

/**
 * The `apiBase` option with the default applied and any trailing slash removed. Throws
 * `INVALID_REQUEST` (phase `connect`) unless it is an `https:` URL, or `http:` on localhost.
 */
export function resolveApiBase(value: unknown): string {
  if (value === undefined) return DEFAULT_API_BASE;
  const url = typeof value === 'string' ? parseUrl(value) : undefined;
  if (!url || !isSecureOrLocal(url, 'https:', 'http:')) {
    throw new AthosRoleplayError(
      'INVALID_REQUEST',
      'The `apiBase` option must be an https: URL (plain http: only for localhost).',
      { phase: 'connect' },
    );
  }
  return url.href.replace(/\/+$/, '');
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
