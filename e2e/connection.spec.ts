import type { Page } from '@playwright/test';
import { audioElementPeak, expect, startCall, test, waitForEvent } from './fixtures.ts';
import type { RecordedEvent } from './harness.ts';

/** What {@link recordSocketTraffic} records, per WebSocket in order of creation. */
type SocketTraffic = Array<{ lastMessageAt: number; seqs: number[] }>;

declare global {
  interface Window {
    socketTraffic: SocketTraffic;
  }
}

/** When (page `performance.now()` ms) the harness recorded each `name` event. */
function eventTimes(page: Page, name: string): Promise<number[]> {
  return page.evaluate((wanted) => window.harness.events.filter((event) => event.name === wanted).map((event) => event.at), name);
}

/** The recorded events other than the speaking flags, with their payloads. */
function callEvents(page: Page): Promise<Array<Omit<RecordedEvent, 'at'>>> {
  return page.evaluate(() =>
    window.harness.events.filter((event) => !event.name.endsWith('Speaking')).map(({ name, payload }) => ({ name, payload })),
  );
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/**
 * From now on, records for every WebSocket the page opens (in `window.socketTraffic`, in order
 * of creation) when it last received anything, and the `seq` of every audio frame it received.
 */
function recordSocketTraffic(page: Page): Promise<void> {
  return page.evaluate(() => {
    const traffic: SocketTraffic = [];
    Object.assign(window, { socketTraffic: traffic });
    window.WebSocket = class extends window.WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        const record = { lastMessageAt: performance.now(), seqs: [] as number[] };
        traffic.push(record);
        this.addEventListener('message', ({ data }) => {
          record.lastMessageAt = performance.now();
          if (data instanceof ArrayBuffer) record.seqs.push(new DataView(data).getUint32(0, true));
        });
      }
    };
  });
}

/** The seqs of the audio frames each socket received, in order. */
function receivedSeqs(page: Page): Promise<number[][]> {
  return page.evaluate(() => window.socketTraffic.map((record) => record.seqs));
}

/** Waits until the persona starts speaking after page time `after`. */
function waitForPersonaSpeech(page: Page, after: number, timeout = 30_000): Promise<unknown> {
  return page.waitForFunction(
    (since) =>
      window.harness.events.some((event) => event.name === 'personaSpeaking' && event.payload.speaking && event.at > since),
    after,
    { timeout },
  );
}

/**
 * How long the SDK took to call the link dead: from the last thing the first socket received to
 * `reconnecting`. The link stopped after that last message, so this bounds the detection time.
 */
async function detectionTime(page: Page): Promise<number> {
  const [reconnectingAt] = await eventTimes(page, 'reconnecting');
  const lastMessageAt = await page.evaluate(() => window.socketTraffic[0]!.lastMessageAt);
  return (reconnectingAt as number) - lastMessageAt;
}

/** Lets the page run every task already queued, and those they queue in turn, twice over. */
const settle = (page: Page) =>
  page.evaluate(async () => {
    for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

/** Reports a measured figure in the test output. */
function report(what: string, ms: number): void {
  console.log(`[measure] ${what}: ${Math.round(ms)} ms`);
}

test('an abrupt drop of 3 s is resumed: reconnecting, reconnected, and the persona is heard again', async ({
  athosPage: page,
  athos,
}) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await waitForPersonaSpeech(page, 0);
  await athos.fault('refuse-reconnects', { seconds: 3 });
  const droppedAt = await pageNow(page);
  await athos.fault('drop');
  await waitForEvent(page, 'reconnecting');
  await waitForEvent(page, 'reconnected');
  const [reconnectedAt] = await eventTimes(page, 'reconnected');
  report('drop of 3 s: drop to reconnected', (reconnectedAt as number) - droppedAt);
  expect((await athos.callStats(callId)).resumes).toBe(1);
  expect(await callEvents(page)).toEqual([
    { name: 'connecting', payload: undefined },
    { name: 'ready', payload: expect.anything() },
    { name: 'reconnecting', payload: { deadline: expect.any(Number) } },
    { name: 'reconnected', payload: undefined },
  ]);
  // The deadline is the drop plus the 30 s window, in the page's Date.now() clock.
  const [reconnecting] = (await callEvents(page)).filter((event) => event.name === 'reconnecting');
  const { deadline } = reconnecting!.payload as { deadline: number };
  const droppedAtWall = await page.evaluate((ago) => Date.now() - (performance.now() - ago), droppedAt);
  expect(deadline - droppedAtWall).toBeGreaterThan(29_000);
  expect(deadline - droppedAtWall).toBeLessThanOrEqual(30_500);
  expect(await page.evaluate(() => window.harness.session!.state)).toBe('connected');

  await waitForPersonaSpeech(page, reconnectedAt as number);
  // The rep's looping fake speech may cut the persona off (barge-in): listen until it is heard.
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 20_000 }).toBeGreaterThan(0.02);
  // The resumed socket picks up right after the last frame received: no frame lost, none twice.
  const [before, ...resumed] = (await receivedSeqs(page)).filter((seqs) => seqs.length > 0);
  expect(resumed).toHaveLength(1);
  const all = [...(before as number[]), ...(resumed[0] as number[])];
  expect(all).toEqual(all.map((_, index) => index + 1));
});

test('a stall of the gateway is detected within 3 s and resumed once it ends', async ({ athosPage: page, athos }) => {
  await recordSocketTraffic(page);
  await startCall(page, athos);
  const stalledAt = await pageNow(page);
  await athos.fault('stall', { seconds: 5 });
  await waitForEvent(page, 'reconnecting');
  const detection = await detectionTime(page);
  report('gateway stall: last message to reconnecting', detection);
  expect(detection).toBeLessThan(3_000);
  await waitForEvent(page, 'reconnected', 1, 15_000);
  const [reconnectedAt] = await eventTimes(page, 'reconnected');
  report('gateway stall: stall over to reconnected', (reconnectedAt as number) - (stalledAt + 5_000));
  expect((await callEvents(page)).map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
});

test('a browser gone offline is detected within 3 s and resumed as soon as it is back online', async ({
  athosPage: page,
  athos,
  context,
}) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await context.setOffline(true);
  await waitForEvent(page, 'reconnecting');
  const detection = await detectionTime(page);
  report('setOffline: last message to reconnecting', detection);
  expect(detection).toBeLessThan(3_000);
  // Offline is only a hint: the call waits for the network instead of ending.
  expect(await page.evaluate(() => window.harness.session!.state)).toBe('reconnecting');

  await context.setOffline(false);
  // A browser reports the network back with an `online` event. Inside the tests' network
  // namespace Chromium's navigator.onLine stays false and fires none, so fire the one it would.
  const onlineAt = await page.evaluate(() => {
    dispatchEvent(new Event('online'));
    return performance.now();
  });
  await waitForEvent(page, 'reconnected');
  const [reconnectedAt] = await eventTimes(page, 'reconnected');
  const recovery = (reconnectedAt as number) - onlineAt;
  report('setOffline: online to reconnected', recovery);
  expect(recovery).toBeLessThan(1_000);
  // An attempt held up while offline may reach the gateway after the one `online` started.
  expect((await athos.callStats(callId)).resumes).toBeGreaterThanOrEqual(1);
  expect((await callEvents(page)).map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
});

test('a main thread busy for 3 s is no dropped link', async ({ athosPage: page, athos }) => {
  const callId = await startCall(page, athos);
  await waitForEvent(page, 'personaSpeaking');
  await page.evaluate(() => {
    const until = performance.now() + 3_000;
    while (performance.now() < until);
  });
  // The heartbeat's overdue check and the drain it schedules run before these later tasks.
  await settle(page);
  expect(await callEvents(page)).toEqual([
    { name: 'connecting', payload: undefined },
    { name: 'ready', payload: expect.anything() },
  ]);
  expect((await athos.callStats(callId)).resumes).toBe(0);
});

test('reconnects refused past 30 s end the call with NETWORK_LOST, then ended, then nothing', async ({
  athosPage: page,
  athos,
}) => {
  test.setTimeout(90_000);
  const callId = await startCall(page, athos);
  await athos.fault('refuse-reconnects', { seconds: 40 });
  await athos.fault('drop');
  await waitForEvent(page, 'ended', 1, 45_000);
  const [reconnectingAt] = await eventTimes(page, 'reconnecting');
  const [errorAt] = await eventTimes(page, 'error');
  report('refused reconnects: reconnecting to NETWORK_LOST', (errorAt as number) - (reconnectingAt as number));
  expect((errorAt as number) - (reconnectingAt as number)).toBeGreaterThanOrEqual(29_900);
  expect((errorAt as number) - (reconnectingAt as number)).toBeLessThan(31_000);
  const events = await callEvents(page);
  expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'error', 'ended']);
  expect(events[3]?.payload).toMatchObject({ code: 'NETWORK_LOST', phase: 'call' });
  expect(events[4]?.payload).toMatchObject({ callId });
  expect(await page.evaluate(() => window.harness.session!.state)).toBe('ended');

  // The gateway gives up on its own resume window; by then the page has long stopped trying.
  await expect.poll(async () => (await athos.callStats(callId)).endedReason, { timeout: 15_000 }).toBe('resume_timeout');
  await settle(page);
  expect(await callEvents(page)).toHaveLength(5);
});

test('disconnect() mid-sentence ends the call on the server at once', async ({ athosPage: page, athos }) => {
  const callId = await startCall(page, athos);
  await waitForPersonaSpeech(page, 0);
  await page.evaluate(() => window.harness.session!.disconnect());
  const events = await callEvents(page);
  expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'ended']);
  const stats = await athos.callStats(callId);
  expect(stats.endedReason).toBe('client');
  await expect.poll(async () => (await athos.rest(`/calls/${callId}`)).status).toBe(200);
  const { body } = await athos.rest(`/calls/${callId}`);
  expect(body).toMatchObject({ callId, endedAt: expect.any(String) });
  expect(events[2]?.payload).toEqual({ callId, durationSec: body.durationSec });
});

test('a call ended by the server fires ended with its call id', async ({ athosPage: page, athos }) => {
  const callId = await startCall(page, athos);
  await athos.fault('end-call', { callId });
  await waitForEvent(page, 'ended');
  const events = await callEvents(page);
  expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'ended']);
  await expect.poll(async () => (await athos.rest(`/calls/${callId}`)).status).toBe(200);
  const { body } = await athos.rest(`/calls/${callId}`);
  expect(events[2]?.payload).toEqual({ callId, durationSec: body.durationSec });
  expect(await page.evaluate(() => window.harness.session!.state)).toBe('ended');
});
