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
  const recovery = (reconnectedAt as number) - onlineAt;
  report('setOffline: online to reconnected', recovery);
  expect(recovery).toBeLessThan(1_000);
  // An attempt held up while offline may reach the gateway after the one `online` started.
  expect((await athos.callStats(callId)).resumes).toBeGreaterThanOrEqual(1);
  expect((await callEvents(page)).map((event) => event.name)).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
});
