/**
 * Limits on connections that have not proven anything yet: how long a client may take to send
 * its request, and how many connections may be open without an authenticated voice socket.
 * @module
 */

/** A request's headers must arrive within this long (Node's default is 60 s). */
export const HEADERS_TIMEOUT_MS = 5000;
/** A whole request, body included, must arrive within this long. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let them slip). */
export const TIMEOUT_CHECK_MS = 1000;
/**
 * Connections open at once that do not carry an authenticated voice socket: REST requests,
 * keep-alive connections between them, upgrades in progress, voice sockets before `auth`.
 * A new connection beyond this closes the oldest of them.
 */
export const MAX_UNAUTHENTICATED_CONNECTIONS = 256;

/** The options of `http.createServer` that apply the timeouts. */
export const SERVER_TIMEOUTS = Object.freeze({
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: TIMEOUT_CHECK_MS,
});

/**
 * Counts connections until they carry an authenticated voice socket, and closes the oldest
 * when there are more than {@link MAX_UNAUTHENTICATED_CONNECTIONS}.
 */
export function createConnectionLimit() {
  /** @type {Set<import('node:stream').Duplex>} oldest first */
  const unauthenticated = new Set();
  return {
    /**
     * The http server's `connection` listener.
     * @param {import('node:stream').Duplex} socket
     */
    track(socket) {
      unauthenticated.add(socket);
      socket.once('close', () => unauthenticated.delete(socket));
      if (unauthenticated.size > MAX_UNAUTHENTICATED_CONNECTIONS) {
        const [oldest] = unauthenticated;
        unauthenticated.delete(/** @type {import('node:stream').Duplex} */ (oldest));
        oldest?.destroy();
      }
    },

    /**
     * The connection now carries an authenticated voice socket: it no longer counts.
     * @param {import('node:stream').Duplex} socket
     */
    authenticated(socket) {
      unauthenticated.delete(socket);
    },
  };
}
