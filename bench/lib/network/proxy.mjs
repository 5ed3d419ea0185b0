/**
 * A TCP proxy that times the binary WebSocket messages clients send through it
 * (frame-tap.mjs). One runs on each side of the impaired link: the browser's forwarder on
 * 127.0.0.1, and the tap in front of the Athos server in its namespace.
 *
 * It reads eagerly and holds what the other side cannot take yet (up to MAX_HELD_BYTES per
 * direction, then back-pressure): so a frame is timed when its sender wrote it, and the queue a
 * slow link builds up forms here, as it would in the browser's socket without the forwarder,
 * instead of hiding in loopback buffers before the tap.
 */
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { ClientFrameTap, epochNow } from './frame-tap.mjs';

/** Bounded memory: past this, the proxy stops reading until the other side drains. */
const MAX_HELD_BYTES = 16 * 1024 * 1024;

/** Copies `from` to `to` as it arrives, calling `seen` with each chunk. */
function relay(from, to, seen) {
  from.on('data', (chunk) => {
    seen?.(chunk);
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
 * @param {(client: import('node:net').Socket, upstream: import('node:net').Socket) => number} keyOf
 *   names a connection the same on both sides of the link: the port of the link-side socket
 */
export async function startProxy(listen, target, keyOf) {
  const sockets = new Set();
  /** @type {Map<number, ClientFrameTap>} */
  const taps = new Map();
  const server = createServer((client) => {
    const upstream = connect({ ...target, noDelay: true });
    client.setNoDelay(true);
    const tap = new ClientFrameTap();
    const named = () => taps.set(keyOf(client, upstream), tap);
    if (upstream.connecting) upstream.once('connect', named);
    else named();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    relay(client, upstream, (chunk) => tap.push(chunk, epochNow()));
    relay(upstream, client);
  });
  server.listen(listen.port, listen.host);
  await once(server, 'listening');
  return {
    /** Times of the binary messages clients sent, by connection; forgets them. */
    takeFrameTimes() {
      const times = Object.fromEntries([...taps].map(([key, tap]) => [key, tap.times]));
      taps.clear();
      return times;
    },
    /** Cuts every proxied connection. */
    reset() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
