/**
 * A TCP relay that reads the WebSocket messages passing through it both ways (frame-tap.mjs).
 * One runs on each side of the impaired link: the browser's forwarder on 127.0.0.1, and the tap
 * in front of the Athos server in its namespace.
 *
 * It reads eagerly and holds what the other side cannot take yet (up to MAX_HELD_BYTES per
 * direction, then back-pressure): so a message is timed when its sender wrote it, and the queue
 * a slow link builds up forms here, as it would in the browser's socket without the forwarder,
 * instead of hiding in loopback buffers before the tap.
 */
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { epochNow, WebSocketTap } from './frame-tap.mjs';

/** Bounded memory: past this, the relay stops reading until the other side drains. */
const MAX_HELD_BYTES = 16 * 1024 * 1024;

/**
 * @typedef {{ fromClient?: import('./frame-tap.mjs').OnMessage, fromServer?: import('./frame-tap.mjs').OnMessage }} Observer
 */

/**
 * Copies `from` to `to` as it arrives, through `tap`.
 * @param {import('node:net').Socket} from
 * @param {import('node:net').Socket} to
 * @param {WebSocketTap} tap
 */
function relay(from, to, tap) {
  from.on('data', (/** @type {Buffer} */ chunk) => {
    tap.push(chunk, epochNow());
    to.write(chunk);
    if (to.writableLength > MAX_HELD_BYTES) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}

/**
 * @param {{ host: string, port: number }} listen
 * @param {{ host: string, port: number }} target
 * @param {(client: import('node:net').Socket, upstream: import('node:net').Socket) => Observer} observe
 *   called once both sockets are connected; what it returns hears the connection's messages
 */
export async function startProxy(listen, target, observe) {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect({ ...target, noDelay: true });
    client.setNoDelay(true);
    /** @type {Observer} */
    let observer = {};
    upstream.once('connect', () => {
      observer = observe(client, upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    // Messages come only after the handshake, which needs the upstream connection.
    relay(client, upstream, new WebSocketTap((...message) => observer.fromClient?.(...message)));
    relay(upstream, client, new WebSocketTap((...message) => observer.fromServer?.(...message)));
  });
  server.listen(listen.port, listen.host);
  await once(server, 'listening');
  return {
    /** Cuts every relayed connection. */
    reset() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
