/**
 * Main thread: what a call costs the page's main thread, beside the same page idle.
 * - CPU: the renderer main thread's CPU time (CDP Performance.getMetrics `ThreadTime`), read
 *   every WINDOW_MS, as a share of one core.
 * - Tasks: top-level tasks on the renderer main thread in each second of a Chromium trace
 *   (a separate span of TRACE_MS: tracing costs CPU of its own).
 * The rep speaks (the e2e fixture's sentence, looped), so the persona answers and audio flows
 * both ways as in a real call.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';
import { repeated, single } from '../lib/figures.mjs';
import { mainThreadTasks } from '../lib/main-thread-tasks.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall } from './calls.ts';
import { test } from './fixtures.ts';

const WINDOW_MS = 5000;
const IDLE_WINDOWS = 4;
const CALL_WINDOWS = 12;
const TRACE_MS = 15_000;
const SETTLE_MS = 3000;
const CATEGORIES = ['toplevel', 'disabled-by-default-devtools.timeline'];

/** Main-thread CPU time as % of a core, in each of `count` windows of WINDOW_MS. */
async function cpuShares(cdp: CDPSession, page: Page, count: number): Promise<number[]> {
  const threadTimeMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'ThreadTime')!.value * 1000;
  };
  const shares: number[] = [];
  let last = { cpu: await threadTimeMs(), at: Date.now() };
  for (let i = 0; i < count; i += 1) {
    await page.waitForTimeout(WINDOW_MS);
    const now = { cpu: await threadTimeMs(), at: Date.now() };
    shares.push((100 * (now.cpu - last.cpu)) / (now.at - last.at));
    last = now;
  }
  return shares;
}

/** Top-level main-thread tasks in each second of a trace of TRACE_MS. */
async function tasksPerSecond(browser: Browser, page: Page): Promise<number[]> {
  await browser.startTracing(page, { categories: CATEGORIES });
  await page.waitForTimeout(TRACE_MS);
  return mainThreadTasks(await browser.stopTracing(), page.url()).perSecond;
}

test('main thread', async ({ openBenchPage, athos, browser }) => {
  const page = await openBenchPage([]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');

  const idleCpu = await cpuShares(cdp, page, IDLE_WINDOWS);
  const idleTasks = await tasksPerSecond(browser, page);
  await startCall(page, athos);
  await page.waitForTimeout(SETTLE_MS);
  const callCpu = await cpuShares(cdp, page, CALL_WINDOWS);
  const callTasks = await tasksPerSecond(browser, page);
  await endCall(page);

  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const figures = [
    repeated(`main-thread CPU during a call, per ${WINDOW_MS / 1000} s`, '% of a core', callCpu, {
      target: { max: 0.5, of: 'median' },
    }),
    single(
      `main-thread CPU per minute of call (over ${(CALL_WINDOWS * WINDOW_MS) / 1000} s)`,
      'ms',
      Math.round(mean(callCpu) * 600),
    ),
    repeated(`main-thread CPU, same page idle, per ${WINDOW_MS / 1000} s`, '% of a core', idleCpu),
    repeated('main-thread tasks per second during a call', 'tasks/s', callTasks, { target: { max: 10, of: 'median' } }),
    repeated('main-thread tasks per second, same page idle', 'tasks/s', idleTasks),
  ];
  recordBench('main-thread', figures, { idleCpu, callCpu, idleTasks, callTasks });
});
