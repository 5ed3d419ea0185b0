import { detectBrowserSupport } from './browser/detectBrowserSupport.ts';
import { AthosRoleplayError } from './errors/AthosRoleplayError.ts';
import type { AthosRoleplayCreateOptions } from './session/options.ts';
import { RoleplaySession } from './session/RoleplaySession.ts';

/**
 * Creates a roleplay session. Synchronous: it does no network or media work, so handlers can
 * be registered before `connect()`.
 *
 * Throws {@link AthosRoleplayError} `BROWSER_NOT_SUPPORTED` on Safari, any mobile browser, an
 * unknown browser, or where there is no `navigator`: during server-side rendering, whose message
 * says to call it in the browser (from an event handler or an effect). Options are validated
 * when `connect()` starts.
 *
 * @example
 * ```ts
 * const session = create({ token, drillKey: 'ma-full-sale', difficulty: 'Beginner' });
 * ```
 */
export function create(options: AthosRoleplayCreateOptions): RoleplaySession {
  if (typeof navigator === 'undefined') {
    throw new AthosRoleplayError(
      'BROWSER_NOT_SUPPORTED',
      'create() must run in the browser: there is no navigator here (server-side rendering?). Call it from an event handler or an effect.',
      { phase: 'create', retryable: false },
    );
  }
  const support = detectBrowserSupport(navigator.userAgent);
  if (!support.supported) {
    throw new AthosRoleplayError(
      'BROWSER_NOT_SUPPORTED',
      `This browser is not supported (${support.reason}). Use desktop Chrome, Edge or Firefox.`,
      { phase: 'create', retryable: false },
    );
  }
  return new RoleplaySession(options);
}
