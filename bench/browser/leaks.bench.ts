/**
 * Leaks: CALLS calls in a row in one page, each until the persona speaks, then disconnect().
 * Before (after WARM_UP_CALLS calls, by which the heap has stopped growing from compiled code
 * and caches) and after, with garbage collected: what the page still holds or keeps in memory
 * (probes/resources.js), Chromium's own counters (CDP Performance.getMetrics) and the JS heap
 * (CDP Runtime.getHeapUsage). Every count should come back to where it was.
 */
import type { CDPSession, Page } from '@playwright/test';
import { single } from '../lib/figures.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall, waitForEvent } from './calls.ts';
import { type Athos, test } from './fixtures.ts';

const CALLS = 50;
const WARM_UP_CALLS = 10;
/** AudioContext.close() and the WebSocket closing handshake finish after disconnect() resolves. */
const SETTLE_MS = 1000;
/** Heap growth per call below this is noise (the heap after GC varies by a few kB). */
const HEAP_NOISE_BYTES_PER_CALL = 2048;
/** AudioHandlers: audio nodes; ContextLifecycleStateObservers: AudioContexts among others. */
const CDP_COUNTERS = ['AudioHandlers', 'ContextLifecycleStateObservers', 'RTCPeerConnections', 'JSEventListeners', 'Nodes'];

// A silent rep: the persona greets 300 ms after `live`, so each call is short.
test.use({ rep: 'silent' });

/** A call until the persona is heard, then its end. */
async function oneCall(page: Page, athos: Athos): Promise<void> {
  await startCall(page, athos);
  await waitForEvent(page, 'personaSpeaking', { timeout: 5000 });
  await endCall(page);
}

async function snapshot(page: Page, cdp: CDPSession) {
  await page.waitForTimeout(SETTLE_MS);
  await cdp.send('HeapProfiler.collectGarbage');
  const leftovers = await page.evaluate(() => window.__resources.leftovers());
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const counters = Object.fromEntries(
    metrics.filter((metric) => CDP_COUNTERS.includes(metric.name)).map((metric) => [metric.name, metric.value]),
  );
  return { leftovers: leftovers as Record<string, number>, counters, heapBytes: usedSize };
}

test('leaks', async ({ openBenchPage, athos }) => {
  const page = await openBenchPage(['resources']);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await oneCall(page, athos);
  const first = await snapshot(page, cdp);
  for (let call = 1; call < WARM_UP_CALLS; call += 1) await oneCall(page, athos);
  const before = await snapshot(page, cdp);
  for (let call = 0; call < CALLS; call += 1) await oneCall(page, athos);
  const after = await snapshot(page, cdp);

  const leftover = (name: string, count: number) =>
    single(name, 'left over', count, { runs: CALLS, target: { max: 0, of: 'value' } });
  const heapGrowth = after.heapBytes - before.heapBytes;
  const figures = [
    ...Object.keys(after.leftovers).map((kind) => leftover(kind, after.leftovers[kind]! - before.leftovers[kind]!)),
    ...CDP_COUNTERS.map((name) => leftover(`CDP ${name}`, after.counters[name]! - before.counters[name]!)),
    single('JS heap after GC, growth per call', 'B', Math.round(heapGrowth / CALLS), {
      runs: CALLS,
      target: { max: HEAP_NOISE_BYTES_PER_CALL, of: 'value' },
    }),
  ];
  recordBench('leaks', figures, { calls: CALLS, afterFirstCall: first, before, after });
});
