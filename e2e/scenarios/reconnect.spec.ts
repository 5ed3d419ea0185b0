/**
 * A call that loses its link, in Chromium and in Firefox: an abrupt drop and a stalled gateway
 * are resumed without losing a frame, a busy main thread is no drop, and a link that stays down
 * ends the call with NETWORK_LOST at 30 s. (A browser gone offline: connection.spec.ts, Chromium
 * only, since WebDriver BiDi in Firefox 153 cannot take the browser offline.)
 */
import {
  audioElementPeak,
  callEvents,
  connectResult,
  detectionTime,
  eventTimes,
  expect,
  leftovers,
  NOTHING_RUNNING,
  pageNow,
  receivedSeqs,
  recordSocketTraffic,
  report,
  sessionState,
  settle,
  socketTraffic,
  startCall,
  test,
  waitForEvent,
  waitForPersonaSpeech,
} from '../fixtures.ts';

test('an abrupt drop of 3 s is resumed: reconnecting, reconnected, and the persona is heard again', async ({
  harness: page,
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
  // The deadline is the drop's detection plus the 30 s window, in the page's Date.now() clock:
  // at most 30 s after the reconnecting event (the drop is detected just before it).
  const [reconnecting] = (await callEvents(page)).filter((event) => event.name === 'reconnecting');
  const deadline = (reconnecting?.payload as { deadline: number } | undefined)?.deadline as number;
  const [reconnectingAt] = await eventTimes(page, 'reconnecting');
  const reconnectingAtWall = await page.evaluate((at) => Date.now() - (performance.now() - at), reconnectingAt as number);
  expect(deadline - reconnectingAtWall).toBeGreaterThan(29_000);
  expect(deadline - reconnectingAtWall).toBeLessThanOrEqual(30_002);
  expect(await sessionState(page)).toBe('connected');

  await waitForPersonaSpeech(page, reconnectedAt as number);
  // The rep's looping speech may cut the persona off (barge-in): listen until it is heard.
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 20_000 }).toBeGreaterThan(0.02);
  // The resumed socket picks up right after the last frame received: no frame lost, none twice.
  const [before, ...resumed] = (await receivedSeqs(page)).filter((seqs) => seqs.length > 0);
  expect(resumed).toHaveLength(1);
  const all = [...(before as number[]), ...(resumed[0] as number[])];
  expect(all).toEqual(all.map((_, index) => index + 1));
});

test('a stall of the gateway is detected while it lasts and resumed once it ends', async ({ harness: page, athos }) => {
  await recordSocketTraffic(page);
  await startCall(page, athos);
  const stalledAt = await pageNow(page);
  await athos.fault('stall', { seconds: 5 });
  await waitForEvent(page, 'reconnecting');
  const detection = await detectionTime(page);
  // The SDK notices the silence itself, before the 5 s stall ends; how fast is a benchmark's
  // target (bench/browser/link-loss.bench.ts), not this test's.
  report('gateway stall: last message to reconnecting', detection);
  const [reconnectingAt] = await eventTimes(page, 'reconnecting');
  expect(reconnectingAt).toBeLessThan(stalledAt + 5_000);
  await waitForEvent(page, 'reconnected', 1, 15_000);
  const [reconnectedAt] = await eventTimes(page, 'reconnected');
  report('gateway stall: stall over to reconnected', (reconnectedAt as number) - (stalledAt + 5_000));
  expect((await callEvents(page)).map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
});

test('a main thread busy for 3 s is no dropped link', async ({ harness: page, athos }) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await waitForEvent(page, 'personaSpeaking');
  const freeAt = await page.evaluate(() => {
    const until = performance.now() + 3_000;
    while (performance.now() < until);
    return performance.now();
  });
  // The heartbeat decides within a drain and a grace (250 ms) of the thread coming free; two
  // pongs later its Worker is past that.
  const pongsSince = async (at: number) =>
    (await socketTraffic(page))
      .flatMap((socket) => socket.received)
      .filter((message) => message.type === 'pong' && message.at > at).length;
  await expect.poll(() => pongsSince(freeAt), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await settle(page);
  expect(await callEvents(page)).toEqual([
    { name: 'connecting', payload: undefined },
    { name: 'ready', payload: expect.anything() },
  ]);
  expect((await athos.callStats(callId)).resumes).toBe(0);
});

test('NETWORK_LOST: reconnects refused past 30 s end the call, then ended, then nothing', async ({ harness: page, athos }) => {
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
  expect(events[3]?.payload).toMatchObject({ code: 'NETWORK_LOST', phase: 'call', retryable: true });
  expect(events[4]?.payload).toMatchObject({ callId, reason: 'network_lost' });
  // connect() had long resolved: a mid-call error is an event only.
  expect(await connectResult(page)).toEqual({ ok: true });
  expect(await sessionState(page)).toBe('ended');
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);

  // The gateway gives up on its own resume window; by then the page has long stopped trying.
  await expect.poll(async () => (await athos.callStats(callId)).endedReason, { timeout: 15_000 }).toBe('resume_timeout');
  await settle(page);
  expect(await callEvents(page)).toHaveLength(5);
});
