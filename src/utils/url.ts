const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `url` uses the `secure` scheme, or the `plain` one on a loopback host. Only
 * `localhost` may use plain `http:`/`ws:`.
 */
export function isSecureOrLocal(url: URL, secure: string, plain: string): boolean {
  return url.protocol === secure || (url.protocol === plain && LOOPBACK_HOSTS.has(url.hostname));
}
