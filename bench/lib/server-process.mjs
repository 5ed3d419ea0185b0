/**
 * The local Athos server in a child process of its own, so that its CPU time and event-loop
 * delay can be told apart from the load generator's.
 */
import { fork } from 'node:child_process';

const CHILD = new URL('./server-child.mjs', import.meta.url);

/**
 * @typedef {{ cpuMs: number, loopDelayP99Ms: number, loopDelayMaxMs: number, rssBytes: number, opusDecoders: number }} ServerStats
 *   cpu time since the previous `stats()`, event-loop delay over the same span, memory and Opus decoders open now
 * @typedef {{ rssBytes: number, heapTotalBytes: number, heapUsedBytes: number, externalBytes: number, arrayBuffersBytes: number }} ServerMemory
 *   `process.memoryUsage()` right after a full garbage collection
 * @typedef {{ url: string, apiKey: string, stats(): Promise<ServerStats>, memory(): Promise<ServerMemory>, close(): Promise<{ opusDecoders: number }> }} ServerProcess
 *   `close()` resolves with the Opus decoders still open after the server closed every call
 */

/**
 * @param {Record<string, unknown>} [overrides] server config (see server/README.md), passed as JSON
 * @returns {Promise<ServerProcess>}
 */
export async function startServerProcess(overrides = {}) {
  const child = fork(CHILD, [JSON.stringify(overrides)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  /** @type {{ resolve: (message: unknown) => void, reject: (error: Error) => void }[]} */
  const pending = [];
  child.on('message', (message) => pending.shift()?.resolve(message));
  child.on('exit', () => {
    for (const { reject } of pending.splice(0)) reject(new Error('the server process exited'));
  });
  /** @type {(request: 'stats' | 'memory' | 'close' | null) => Promise<unknown>} */
  const ask = (request) =>
    new Promise((resolve, reject) => {
      pending.push({ resolve, reject });
      if (request) child.send(request);
    });
  const { url, apiKey } = /** @type {{ url: string, apiKey: string }} */ (await ask(null));
  return {
    url,
    apiKey,
    stats: () => /** @type {Promise<ServerStats>} */ (ask('stats')),
    memory: () => /** @type {Promise<ServerMemory>} */ (ask('memory')),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const last = /** @type {{ opusDecoders: number }} */ (await ask('close'));
      await exited;
      return last;
    },
  };
}
