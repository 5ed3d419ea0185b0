/** The answer of {@link detectBrowserSupport}. */
export interface BrowserSupport {
  /** Whether the SDK runs in this browser. */
  supported: boolean;
  /** Why not, when `supported` is `false`. */
  reason?: 'mobile' | 'safari' | 'unknown';
}

const MOBILE = /Android|iPhone|iPad|iPod|Mobile|Mobi/;
const CHROMIUM_OR_FIREFOX = /Chrome|Chromium|Edg|OPR|CriOS|Firefox/;

/**
 * Tells whether the SDK supports the browser with this user agent. An allowlist, checked in
 * order: any mobile user agent is unsupported; desktop Chromium-family browsers (Chrome, Edge,
 * Opera, Brave, …) and Firefox are supported; Safari is not; anything else, the empty string
 * included, is unknown and unsupported.
 *
 * @example
 * ```ts
 * const { supported, reason } = detectBrowserSupport(navigator.userAgent);
 * if (!supported) showBanner(reason);
 * ```
 */
export function detectBrowserSupport(userAgent: string): BrowserSupport {
  const ua = typeof userAgent === 'string' ? userAgent : '';
  if (MOBILE.test(ua)) return { supported: false, reason: 'mobile' };
  if (CHROMIUM_OR_FIREFOX.test(ua)) return { supported: true };
  if (ua.includes('Safari')) return { supported: false, reason: 'safari' };
  return { supported: false, reason: 'unknown' };
}
