/**
 * A browser gone offline mid-call, in Chromium only: WebDriver BiDi in Firefox 153 cannot take
 * the browser offline. The drops, stalls and the 30 s limit that both engines share are in
 * scenarios/reconnect.spec.ts.
 */
import {
  callEvents,
  detectionTime,
  eventTimes,
  expect,
  recordSocketTraffic,
  report,
  startCall,
  test,
  waitForEvent,
} from './fixtures.ts';

test('a browser gone offline is detected while offline and resumed when it is back online', async ({
  athosPage: page,
  athos,
  context,
}) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await context.setOffline(true);
  await waitForEvent(page, 'reconnecting');
  const detection = await detectionTime(page);
  // The time it takes is a benchmark's target (bench/browser/link-loss.bench.ts), not this test's.
  report('setOffline: last message to reconnecting', detection);
  // Offline is only a hint: the call waits for the network instead of ending.
  expect(await page.evaluate(() => window.harness.session?.state)).toBe('reconnecting');

  await context.setOffline(false);
  // A browser reports the network back with an `online` event. Inside the tests' network
  // namespace Chromium's navigator.onLine stays false and fires none, so fire the one it would.
  const onlineAt = await page.evaluate(() => {
    dispatchEvent(new Event('online'));
    return performance.now();
  });
  await waitForEvent(page, 'reconnected');
  const [reconnectedAt] = await eventTimes(page, 'reconnected');
  expect(reconnectedAt).toBeGreaterThan(onlineAt);
  report('setOffline: online to reconnected', (reconnectedAt as number) - onlineAt);
  // An attempt held up while offline may reach the gateway after the one `online` started.
  expect((await athos.callStats(callId)).resumes).toBeGreaterThanOrEqual(1);
  expect((await callEvents(page)).map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
});
