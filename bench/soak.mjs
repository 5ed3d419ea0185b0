/**
 * Soak: does the local server forget what it no longer needs? Against a server in a child
 * process whose tokens live TOKEN_TTL_SEC and whose ended calls are kept CALL_RETENTION_SEC, it
 * runs 5 000 short calls, then mints 100 000 session tokens, waits until all of it is past
 * keeping and swept, and compares the server's memory (after a full garbage collection) with
 * its memory at the start.
 *
 * The start is measured twice: cold, right after the server started, and after a warm-up (a
 * tenth of the work, then the same wait). The process's allocator and compiled code grow to a
 * plateau in the first minutes and do not give memory back to the system; the growth from the
 * warmed-up start is what the soak itself left behind.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { forgetAfterExpirySec } from '../server/store/tokens.js';
import { PROTOCOL_VERSION } from '../src/contract/voice.js';
import { mintToken, redeem } from './lib/athos-api.mjs';
import { single } from './lib/figures.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const CALLS = 5000;
const TOKENS = 100_000;
/** Calls, or mints, in flight at once. */
const CONCURRENCY = 50;
const TOKEN_TTL_SEC = 5;
const CALL_RETENTION_SEC = 5;
/** The server's sweep period (server/index.js), plus a second of slack. */
const SWEEP_WAIT_MS = 6000;
/** Every call must go live, hear the persona and end within this long. */
const CALL_TIMEOUT_MS = 15_000;
/** The warm-up is this fraction of the soak. */
const WARM_UP_SHARE = 0.1;
/** Memory growth allowed from the (warmed-up) start to the end. */
const TARGET_GROWTH_MB = 20;
/** An uplink frame: 20 ms of silence. */
const SILENCE = Buffer.alloc(640);
const MB = 1024 * 1024;

/** @typedef {import('./lib/server-process.mjs').ServerProcess} ServerProcess */
/** @typedef {import('./lib/server-process.mjs').ServerMemory} ServerMemory */

/**
 * One short call, as the SDK makes it: redeem, authenticate, send a little audio, wait for the
 * persona's first frame, say goodbye and wait for the gateway to close.
 * @param {ServerProcess} server
 */
async function shortCall(server) {
  const { connectionUrl, connectionTicket } = await redeem(server, await mintToken(server, 'rep-soak'));
  const ws = new WebSocket(connectionUrl, { perMessageDeflate: false });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the call did not end in time')), CALL_TIMEOUT_MS);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', ticket: connectionTicket, protocol: PROTOCOL_VERSION })));
      let leaving = false;
      ws.on('message', (data, isBinary) => {
        if (isBinary && !leaving) {
          leaving = true;
          ws.send(JSON.stringify({ type: 'bye' }));
        } else if (!isBinary && JSON.parse(data.toString()).type === 'live') {
          for (let i = 0; i < 10; i += 1) ws.send(SILENCE);
        }
      });
      ws.once('close', (code) => {
        clearTimeout(timer);
        if (code === 1000) resolve(undefined);
        else reject(new Error(`closed ${code}`));
      });
      ws.once('error', reject);
    });
  } finally {
    ws.terminate();
  }
}

/**
 * Runs `calls` short calls, then mints `tokens` tokens, then waits until the server has forgotten
 * them all.
 * @param {ServerProcess} server
 * @param {number} calls
 * @param {number} tokens
 * @returns {Promise<{ callsMs: number, tokensMs: number, afterCalls: ServerMemory, afterTokens: ServerMemory }>}
 */
async function workload(server, calls, tokens) {
  const callsFrom = performance.now();
  await inParallel(calls, () => shortCall(server));
  const callsMs = performance.now() - callsFrom;
  const afterCalls = await server.memory();
  const tokensFrom = performance.now();
  await inParallel(tokens, () => mintToken(server, 'rep-soak'));
  const tokensMs = performance.now() - tokensFrom;
  const afterTokens = await server.memory();
  // The last token is forgotten a while after it expired; then one sweep must pass.
  await sleep((TOKEN_TTL_SEC + forgetAfterExpirySec(TOKEN_TTL_SEC)) * 1000 + SWEEP_WAIT_MS);
  return { callsMs, tokensMs, afterCalls, afterTokens };
}

/**
 * Runs `count` tasks, `CONCURRENCY` at a time; resolves when all are done, rejects on the first failure.
 * @param {number} count
 * @param {() => Promise<unknown>} task
 */
async function inParallel(count, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await task();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export async function run({ log = console.error } = {}) {
  const server = await startServerProcess({
    tokenTtlSec: TOKEN_TTL_SEC,
    callRetentionSec: CALL_RETENTION_SEC,
    // Minting as fast as possible is the point here, not the rate limit.
    mintRatePerSec: 1_000_000,
  });
  try {
    const cold = await server.memory();
    log(`soak: server memory cold: ${memoryLine(cold)}`);
    await workload(server, CALLS * WARM_UP_SHARE, TOKENS * WARM_UP_SHARE);
    const start = await server.memory();
    log(`soak: server memory after the warm-up: ${memoryLine(start)}`);

    const startedAt = performance.now();
    const { callsMs, tokensMs, afterCalls, afterTokens } = await workload(server, CALLS, TOKENS);
    const end = await server.memory();
    const durationSec = Math.round((performance.now() - startedAt) / 1000);
    log(
      `soak: ${CALLS} calls in ${seconds(callsMs)} s (${memoryLine(afterCalls)}), ${TOKENS} tokens in ${seconds(tokensMs)} s (${memoryLine(afterTokens)})`,
    );
    log(`soak: server memory at the end: ${memoryLine(end)}; soak ${durationSec} s`);

    const work = `${CALLS} calls and ${TOKENS} tokens, all expired`;
    return {
      figures: [
        single('Server RSS growth, start (after warm-up) → end', 'MB', mb(end.rssBytes - start.rssBytes), {
          target: { max: TARGET_GROWTH_MB, of: 'value' },
          note: `${mb(start.rssBytes)} → ${mb(end.rssBytes)} MB; ${work}`,
        }),
        single('Server JS heap growth, start (after warm-up) → end', 'MB', mb(end.heapUsedBytes - start.heapUsedBytes), {
          note: `${mb(start.heapUsedBytes)} → ${mb(end.heapUsedBytes)} MB`,
        }),
        single('Server RSS growth, cold start → end', 'MB', mb(end.rssBytes - cold.rssBytes), {
          note: `${mb(cold.rssBytes)} → ${mb(end.rssBytes)} MB; heap ${mb(cold.heapUsedBytes)} → ${mb(end.heapUsedBytes)} MB`,
        }),
        single(
          'Server RSS before expiry (most of the two samples)',
          'MB',
          mb(Math.max(afterCalls.rssBytes, afterTokens.rssBytes)),
          {
            note: `${mb(afterCalls.rssBytes)} MB after the calls, ${mb(afterTokens.rssBytes)} MB after the tokens`,
          },
        ),
        single(`${CALLS} short calls, ${CONCURRENCY} at a time`, 's', seconds(callsMs)),
        single(`${TOKENS} tokens minted, ${CONCURRENCY} at a time`, 's', seconds(tokensMs)),
        single('Soak, warm-up excluded', 's', durationSec),
      ],
      details: { cold, start, afterCalls, afterTokens, end, tokenTtlSec: TOKEN_TTL_SEC, callRetentionSec: CALL_RETENTION_SEC },
    };
  } finally {
    await server.close();
  }
}

/** @param {number} bytes */
function mb(bytes) {
  return Math.round((bytes / MB) * 10) / 10;
}

/** @param {number} ms */
function seconds(ms) {
  return Math.round(ms / 100) / 10;
}

/** @param {import('./lib/server-process.mjs').ServerMemory} memory */
function memoryLine(memory) {
  return `${mb(memory.rssBytes)} MB RSS, ${mb(memory.heapUsedBytes)} MB heap`;
}
