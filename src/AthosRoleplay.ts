import { detectBrowserSupport } from './browser/detectBrowserSupport.ts';
import { create } from './create.ts';
import { preflight } from './preflight/preflight.ts';

/**
 * The SDK's entry point, also the global of the script-tag build.
 *
 * @example
 * ```ts
 * const session = AthosRoleplay.create({ token, drillKey: 'ma-full-sale' });
 * ```
 */
export const AthosRoleplay = Object.freeze({
  /** See {@link create}. */
  create,
  /** See {@link detectBrowserSupport}. */
  detectBrowserSupport,
  /** See {@link preflight}. */
  preflight,
});
