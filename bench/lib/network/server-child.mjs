/**
 * The server side of the network benchmark's link, run by lab.mjs in a network namespace of its
 * own (`unshare -n`, nested inside the benchmark's), whose only way out is the TUN device the
 * link emulator moved in. It runs the local Athos server with the lines persona on its own
 * loopback, a tapping proxy in front of it on the link (proxy.mjs: when each of the rep's
 * frames reached the gateway), and services for the emulator's self-test (TCP and UDP echo, a
 * TCP sink and a TCP source). It answers lab.mjs over IPC:
 *   { configure: { ifname, address, peer, port, services } } → { ready: { apiKey } }
 *   { id, say: file } → { id, firstSeq, lastSeq }
 *   { id, frameTimes: true } → { id, times: { [link-side port]: epoch ms[] } }: when each binary
 *     message from the browser reached the gateway, by socket, since the last such request
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { startAthosServer } from '../../../server/index.js';
import { loadLineAudio } from '../../../server/persona/audio.js';
import { OPCODE_BINARY } from './frame-tap.mjs';
import { ip } from './ip.mjs';
import { linesPersonaFactory } from './lines-persona.mjs';
import { startProxy } from './proxy.mjs';

/** Bounded memory: an hour of 20 ms frames per socket. */
const MAX_FRAMES = 180_000;
/** @type {import('./lines-persona.mjs').LinesPersona | null} the latest call's */
let persona = null;
/** @type {Map<number, number[]>} when each binary message from the browser arrived, by socket */
let arrivals = new Map();

/**
 * @typedef {{ ifname: string, address: string, peer: string, port: number,
 *   services: import('./lab.mjs').Services }} Configuration
 * @typedef {{ configure: Configuration } | { id: number, say?: string, frameTimes?: boolean }} Request
 */

/** @param {object} message */
function send(message) {
  process.send?.(message);
}

/**
 * @param {number} port
 * @param {(socket: import('node:net').Socket) => void} handle
 */
async function listen(port, handle) {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    handle(socket);
  });
  server.listen(port, '0.0.0.0');
  await once(server, 'listening');
}

/** @param {import('./lab.mjs').Services} services */
async function startServices({ echoPort, discardPort, sourcePort }) {
  await listen(echoPort, (socket) => socket.pipe(socket));
  await listen(discardPort, (socket) => socket.resume());
  // Writes as fast as the link takes it, until the client hangs up.
  const chunk = Buffer.alloc(16 * 1024, 'x');
  await listen(sourcePort, (socket) => {
    const write = () => {
      while (!socket.destroyed && socket.write(chunk));
    };
    socket.on('drain', write);
    write();
  });
  const udp = createSocket('udp4');
  udp.on('message', (message, from) => udp.send(message, from.port, from.address));
  udp.bind(echoPort, '0.0.0.0');
  await once(udp, 'listening');
}

/** @param {Configuration} configuration */
async function configure({ ifname, address, peer, port, services }) {
  ip('link', 'set', 'lo', 'up');
  ip('address', 'add', address, 'peer', peer, 'dev', ifname);
  ip('link', 'set', ifname, 'up');
  // On this namespace's loopback; the port the voice URL names is the one the browser's
  // forwarder and this tap use too.
  const server = await startAthosServer({
    host: '127.0.0.1',
    port,
    apiKey: 'ath_test_netbench',
    createPersona: linesPersonaFactory(await loadLineAudio(), (created) => {
      persona = created;
    }),
  });
  await startProxy({ host: address, port }, { host: '127.0.0.1', port }, (client) => {
    /** @type {number[]} */
    const times = [];
    arrivals.set(client.remotePort ?? 0, times);
    return {
      fromClient: (opcode, _, now) => {
        if (opcode === OPCODE_BINARY && times.length < MAX_FRAMES) times.push(now);
      },
    };
  });
  await startServices(services);
  send({ ready: { apiKey: server.apiKey } });
}

/** @param {{ id: number, say?: string, frameTimes?: boolean }} request */
function answer({ id, say, frameTimes }) {
  try {
    if (say) {
      if (!persona) throw new Error('no call yet');
      return { id, ...persona.say(say) };
    }
    if (frameTimes) {
      const times = Object.fromEntries(arrivals);
      arrivals = new Map();
      return { id, times };
    }
    return { id, error: 'unknown request' };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}

process.on('message', (/** @type {Request} */ message) => {
  if ('configure' in message) {
    configure(message.configure).catch((error) => {
      console.error(error);
      process.exit(1);
    });
  } else {
    send(answer(message));
  }
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
