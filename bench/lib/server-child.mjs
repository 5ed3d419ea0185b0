/**
 * Child process of server-process.mjs: the local Athos server on 127.0.0.1, with the config
 * overrides given as JSON in its first argument, answering `stats` (CPU time and event-loop
 * delay since the last `stats`, memory, Opus decoders open), `memory` (after a full garbage
 * collection) and `close` (answered with the Opus decoders still open once the server has
 * closed) over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startAthosServer } from '../../server/index.js';
import { openOpusDecoders } from '../../server/opus.js';

const overrides = JSON.parse(process.argv[2] ?? '{}');
const server = await startAthosServer({ host: '127.0.0.1', port: 0, apiKey: 'ath_test_bench', ...overrides });
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let cpuSince = process.cpuUsage();

process.on('message', async (message) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage(cpuSince);
    cpuSince = process.cpuUsage();
    process.send?.({
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      rssBytes: process.memoryUsage().rss,
      opusDecoders: openOpusDecoders(),
    });
    loop.reset();
  } else if (message === 'memory') {
    // Run by server-process.mjs with --expose-gc.
    globalThis.gc?.();
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send?.({
      rssBytes: rss,
      heapTotalBytes: heapTotal,
      heapUsedBytes: heapUsed,
      externalBytes: external,
      arrayBuffersBytes: arrayBuffers,
    });
  } else if (message === 'close') {
    await server.close();
    // Every call has ended now: every Opus decoder must have been freed.
    process.send?.({ opusDecoders: openOpusDecoders() }, () => process.exit(0));
  }
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
process.send?.({ url: server.url, apiKey: server.apiKey });
