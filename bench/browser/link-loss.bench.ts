/**
 * Link loss: the browser goes offline mid-call (context.setOffline: the open WebSocket stalls,
 * it is not closed), then comes back.
 * - Detection: setOffline(true) → `reconnecting`.
 * - Recovery: setOffline(false) → `reconnected`, OFFLINE_AFTER_DETECTION_MS after detection.
 * Recovery is measured twice: with a browser that notices the network coming back (it fires
 * `online`), and with one that does not (only loopback is up: see lib/netns.mjs), as when a
 * router or Wi-Fi stalls while the computer still thinks it is connected.
 * Times are taken in the page, from just before each setOffline call. Detection is also timed
 * from the last message that arrived (probes/timeline.js): what the SDK itself waits for.
 */
import type { Page } from '@playwright/test';
import { repeated } from '../lib/figures.mjs';
import { setLinkUp } from '../lib/netns.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall, waitForEvent } from './calls.ts';
import { test } from './fixtures.ts';

const CYCLES_PER_MODE = 6;
const ONLINE_BEFORE_MS = 2000;
const OFFLINE_AFTER_DETECTION_MS = 1000;
const MODES = [
  { browserNotices: true, label: 'browser fires `online`' },
  { browserNotices: false, label: 'browser does not notice' },
];

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** When the last message before `before` arrived, on any socket. */
const lastMessageBefore = (page: Page, before: number) =>
  page.evaluate(
    (until) =>
      Math.max(
        ...window.__timeline.sockets
          .map((socket) => socket.lastMessage)
          .filter((at): at is number => at !== undefined && at < until),
      ),
    before,
  );

test('link loss', async ({ openBenchPage, athos, context }) => {
  const detection: number[] = [];
  const silence: number[] = [];
  const recovery: Record<string, number[]> = {};
  const page = await openBenchPage(['timeline']);
  await startCall(page, athos);
  let cycle = 0;
  for (const { browserNotices, label } of MODES) {
    setLinkUp(browserNotices);
    await page.waitForFunction((expected) => navigator.onLine === expected, browserNotices);
    recovery[label] = [];
    for (let i = 0; i < CYCLES_PER_MODE; i += 1) {
      cycle += 1;
      await page.waitForTimeout(ONLINE_BEFORE_MS);
      const offlineAt = await pageNow(page);
      await context.setOffline(true);
      const reconnectingAt = await waitForEvent(page, 'reconnecting', { count: cycle, timeout: 10_000 });
      detection.push(reconnectingAt - offlineAt);
      silence.push(reconnectingAt - (await lastMessageBefore(page, reconnectingAt)));
      await page.waitForTimeout(OFFLINE_AFTER_DETECTION_MS);
      const onlineAt = await pageNow(page);
      await context.setOffline(false);
      recovery[label]!.push((await waitForEvent(page, 'reconnected', { count: cycle, timeout: 30_000 })) - onlineAt);
    }
  }
  setLinkUp(true);
  await endCall(page);
  const figures = [
    repeated('stalled link detected (offline → reconnecting)', 'ms', detection, { target: { max: 3000, of: 'p95' } }),
    repeated('  last message received → reconnecting', 'ms', silence),
    ...MODES.map(({ label }) =>
      repeated(`network back → reconnected, ${label}`, 'ms', recovery[label]!, { target: { max: 1000, of: 'p95' } }),
    ),
  ];
  recordBench('link-loss', figures, { detection, silence, recovery });
});
