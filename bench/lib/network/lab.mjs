/**
 * The network benchmark's impaired link, inside the benchmark's private namespace (run.mjs):
 *
 *   Chromium ─ws→ forwarder 127.0.0.1:PORT ─TCP→ athos-br (TUN) ⇢ link-emulator.py (loss, rate,
 *     queue, delay) ⇢ athos-sv (TUN, nested namespace) → tap 10.77.0.2:PORT → Athos server 127.0.0.1:PORT
 *
 * The server runs in a namespace nested inside the benchmark's (server-child.mjs), so its only
 * route to the browser is the emulator: nothing can short-cut over loopback. The browser talks
 * to a forwarder on 127.0.0.1 because the SDK allows plain ws: only to localhost; the server
 * listens on the same port number on its namespace's loopback, so the `connectionUrl` it hands
 * out (ws://127.0.0.1:PORT/v1/voice) reaches the forwarder too. The forwarder and the tap are
 * proxies that time the rep's frames on each side of the link (proxy.mjs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mintToken } from '../athos-api.mjs';
import { CallTraffic } from './call-traffic.mjs';
import { ip } from './ip.mjs';
import { startProxy } from './proxy.mjs';

const BROWSER_IF = 'athos-br';
const SERVER_IF = 'athos-sv';
const BROWSER_ADDRESS = '10.77.0.1';
const SERVER_ADDRESS = '10.77.0.2';
/** The Athos server's port in its namespace and the forwarder's on 127.0.0.1. */
const PORT = 8787;
/**
 * The self-test's services behind the link: TCP and UDP echo, a TCP sink and a TCP source.
 * @typedef {{ host: string, echoPort: number, discardPort: number, sourcePort: number }} Services
 * @type {Services}
 */
const SERVICES = { host: SERVER_ADDRESS, echoPort: 7, discardPort: 9, sourcePort: 19 };
const EMULATOR = new URL('./link-emulator.py', import.meta.url).pathname;
const SERVER_CHILD = new URL('./server-child.mjs', import.meta.url).pathname;
/** No process of the lab outlives this, whatever happens to the benchmark. */
const MAX_LIFETIME_S = 3 * 3600;

/**
 * @typedef {{ delayMs?: number, jitterMs?: number, loss?: number, rateBps?: number, queueMs?: number }} LinkProfile
 *   one direction of the link; see link-emulator.py
 * @typedef {Record<'up' | 'down', Record<string, number>>} LinkCounts
 */

/** Debian's python3 runs the emulator; a fresh machine gets it from apt-get like Chromium. */
function ensurePython() {
  if (spawnSync('python3', ['--version']).status === 0) return;
  console.error('python3 is missing; installing Debian’s python3 package…');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'python3'],
  ]) {
    const [command = 'apt-get', ...rest] = [...asRoot, 'apt-get', ...args];
    if (spawnSync(command, rest, { stdio: 'inherit' }).status !== 0) throw new Error('could not install python3');
  }
}

/** @typedef {{ resolve: (answer: unknown) => void, reject: (error: Error) => void }} Pending */

/**
 * A child process that answers one JSON line per request line, in order.
 * @param {import('node:child_process').ChildProcessByStdio<import('node:stream').Writable, import('node:stream').Readable, null>} child
 */
function lineChannel(child) {
  /** @type {Pending[]} */
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => {
    for (const { reject } of waiting.splice(0)) reject(new Error(`the link emulator exited (${code})`));
  });
  /** @returns {Promise<unknown>} */
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return {
    next,
    /** @param {object} request */
    ask(request) {
      const answer = next();
      child.stdin.write(`${JSON.stringify(request)}\n`);
      return answer;
    },
  };
}

/**
 * A child process that answers `{ id, … }` messages over IPC, or `{ id, error }`.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {(request: object) => Promise<unknown>}
 */
function ipcChannel(child) {
  /** @type {Map<number, Pending>} */
  const waiting = new Map();
  let nextId = 1;
  child.on('message', (/** @type {{ id?: number, error?: string }} */ message) => {
    if (message.id === undefined) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) pending?.reject(new Error(message.error));
    else pending?.resolve(message);
  });
  child.on('exit', (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`the server process exited (${code})`));
    waiting.clear();
  });
  return (request) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, ...request });
    });
}

/** Starts the emulator, the server's namespace and the forwarder. */
export async function startLab() {
  if (process.env.ATHOS_BENCH_NETNS !== '1') throw new Error('the network lab runs only inside bench/run.mjs’s namespace');
  ensurePython();
  const emulator = spawn(
    'python3',
    [EMULATOR, '--browser-if', BROWSER_IF, '--server-if', SERVER_IF, '--max-seconds', String(MAX_LIFETIME_S)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const link = lineChannel(emulator);
  const server = spawn('unshare', ['-n', process.execPath, SERVER_CHILD], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = ipcChannel(server);
  const stop = () => {
    emulator.kill();
    server.kill();
  };
  try {
    await link.next();
    // unshare -n execs node without forking: server.pid lives in the nested namespace.
    if (server.pid === undefined) throw new Error('could not start unshare');
    ip('link', 'set', SERVER_IF, 'netns', String(server.pid));
    ip('address', 'add', BROWSER_ADDRESS, 'peer', SERVER_ADDRESS, 'dev', BROWSER_IF);
    ip('link', 'set', BROWSER_IF, 'up');
    server.send({
      configure: {
        ifname: SERVER_IF,
        address: SERVER_ADDRESS,
        peer: BROWSER_ADDRESS,
        port: PORT,
        services: SERVICES,
      },
    });
    const [{ ready }] = /** @type {[{ ready: { apiKey: string } }]} */ (await once(server, 'message'));
    let traffic = new CallTraffic();
    // Named by its link-side socket's port, as the server's tap names the same connection.
    const forwarder = await startProxy({ host: '127.0.0.1', port: PORT }, { host: SERVER_ADDRESS, port: PORT }, (_, upstream) =>
      traffic.observe(/** @type {number} */ (upstream.localPort)),
    );
    const athos = { url: `http://127.0.0.1:${PORT}`, apiKey: ready.apiKey };
    return {
      /** The SDK's `apiBase`: the forwarder. */
      apiBase: athos.url,
      mintToken: () => mintToken(athos),
      /** @param {{ up: LinkProfile, down: LinkProfile }} profile */
      impair: async (profile) => {
        await link.ask({ set: profile });
      },
      /** What the forwarder has seen of the current call. */
      get traffic() {
        return traffic;
      },
      /** Cuts the forwarded connections and empties the link, so a call starts on an idle link. */
      reset: async () => {
        forwarder.reset();
        traffic = new CallTraffic();
        await link.ask({ flush: true });
        await ask({ frameTimes: true });
      },
      /** The emulator's counters per direction since it started. */
      counts: () => /** @type {Promise<LinkCounts>} */ (link.ask({ stats: true })),
      /**
       * IP bytes delivered per direction between two wall-clock times (epoch ms, 10 ms bins).
       * @param {number} fromMs
       * @param {number} toMs
       */
      bytesBetween: (fromMs, toMs) => /** @type {Promise<{ up: number, down: number }>} */ (link.ask({ bytes: [fromMs, toMs] })),
      /**
       * Tells the persona of the current call to say a line (a file of server/persona/audio/).
       * @param {string} file
       */
      say: (file) => /** @type {Promise<{ firstSeq: number, lastSeq: number }>} */ (ask({ say: file })),
      /**
       * Each binary message the browser sent in the current call, by WebSocket: how long it took
       * from the forwarder to the gateway's tap (ms), in order; and how many never arrived.
       * @returns {Promise<{ transitMs: number[][], lost: number }>}
       */
      async uplinkTransits() {
        const { times: arrived } = /** @type {{ times: Record<string, number[]> }} */ (await ask({ frameTimes: true }));
        /** @type {number[][]} */
        const transitMs = [];
        let lost = 0;
        for (const [key, sent] of traffic.sent) {
          const there = (arrived[key] ?? []).slice(0, sent.length);
          transitMs.push(there.map((at, k) => at - (sent[k] ?? at)));
          lost += sent.length - there.length;
        }
        return { transitMs, lost };
      },
      /** Where the self-test's services listen, behind the link. */
      services: SERVICES,
      async close() {
        await forwarder.close();
        emulator.stdin.end();
        server.disconnect();
        await Promise.all([once(emulator, 'exit'), once(server, 'exit')]);
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
