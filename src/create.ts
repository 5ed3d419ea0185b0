import { detectBrowserSupport } from './browser/detectBrowserSupport.ts';
import { AthosRoleplayError } from './errors/AthosRoleplayError.ts';
import type { AthosRoleplayCreateOptions } from './session/options.ts';
import { RoleplaySession } from './session/RoleplaySession.ts';

/**
 * Creates a roleplay session. Synchronous: it does no network or media work, so handlers can
 * be registered before `connect()`.
 *
 * Throws {@link AthosRoleplayError} `BROWSER_NOT_SUPPORTED` on Safari, any mobile browser, an
 * unknown browser, or where there is no `navigator` (server-side rendering). Options are
 * validated when `connect()` starts.
 *
 * @example
 * ```ts
 * const session = create({ token, drillKey: 'ma-full-sale', difficulty: 'Beginner' });
 * ```
 */
export function create(options: AthosRoleplayCreateOptions): RoleplaySession {
  const userAgent = typeof navigator === 'undefined' ? undefined : navigator.userAgent;
  const support = userAgent === undefined ? { supported: false, reason: 'no navigator' } : detectBrowserSupport(userAgent);
  if (!support.supported) {
    throw new AthosRoleplayError(
      'BROWSER_NOT_SUPPORTED',
      `This browser is not supported (${support.reason}). Use desktop Chrome, Edge or Firefox.`,
      { phase: 'create', retryable: false },
    );
  }
  return new RoleplaySession(options);
}
