/**
 * The local Athos server in a child process of its own, so that its CPU time and event-loop
 * delay can be told apart from the load generator's.
 */
import { fork } from 'node:child_process';

const CHILD = new URL('./server-child.mjs', import.meta.url);

/**
 * @typedef {{ cpuMs: number, loopDelayP99Ms: number, loopDelayMaxMs: number, rssBytes: number }} ServerStats
 *   cpu time since the previous `stats()`, event-loop delay over the same span
 * @typedef {{ url: string, apiKey: string, stats(): Promise<ServerStats>, close(): Promise<void> }} ServerProcess
 */

/** @returns {Promise<ServerProcess>} */
export async function startServerProcess() {
  const child = fork(CHILD, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  /** @type {{ resolve: (message: unknown) => void, reject: (error: Error) => void }[]} */
  const pending = [];
  child.on('message', (message) => pending.shift()?.resolve(message));
  child.on('exit', () => {
    for (const { reject } of pending.splice(0)) reject(new Error('the server process exited'));
  });
  /** @type {(request: 'stats' | null) => Promise<unknown>} */
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
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}
