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
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { startAthosServer } from '../../../server/index.js';
import { loadLineAudio } from '../../../server/persona/audio.js';
import { OPCODE_BINARY } from './frame-tap.mjs';
import { linesPersonaFactory } from './lines-persona.mjs';
import { startProxy } from './proxy.mjs';

/** Bounded memory: an hour of 20 ms frames per socket. */
const MAX_FRAMES = 180_000;
/** @type {import('./lines-persona.mjs').LinesPersona | null} the latest call's */
let persona = null;
/** @type {Map<number, number[]>} */
let arrivals = new Map();

function ip(...args) {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
}

/** @param {number} port @param {(socket: import('node:net').Socket) => void} handle */
function listen(port, handle) {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    handle(socket);
  });
  return new Promise((resolve) => server.listen(port, '0.0.0.0', () => resolve(server)));
}

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
  await new Promise((resolve) => udp.bind(echoPort, '0.0.0.0', resolve));
}

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
    createPersona: linesPersonaFactory(await loadLineAudio(), (created) => (persona = created)),
  });
  await startProxy({ host: address, port }, { host: '127.0.0.1', port }, (client) => {
    const times = [];
    arrivals.set(/** @type {number} */ (client.remotePort), times);
    return {
      fromClient: (opcode, _, now) => {
        if (opcode === OPCODE_BINARY && times.length < MAX_FRAMES) times.push(now);
      },
    };
  });
  await startServices(services);
  process.send({ ready: { apiKey: server.apiKey } });
}

function answer({ id, say, frameTimes }) {
  try {
    if (say) return { id, ...persona.say(say) };
    if (frameTimes) {
      const times = Object.fromEntries(arrivals);
      arrivals = new Map();
      return { id, times };
    }
    return { id, error: 'unknown request' };
  } catch (error) {
    return { id, error: error.message };
  }
}

process.on('message', (message) => {
  if (message.configure) {
    configure(message.configure).catch((error) => {
      console.error(error);
      process.exit(1);
    });
  } else {
    process.send(answer(message));
  }
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
