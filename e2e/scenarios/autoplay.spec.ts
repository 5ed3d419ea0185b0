/**
 * Autoplay blocked, in Chromium and in Firefox: the call goes live silently with
 * AUDIO_PLAYBACK_BLOCKED, and a click that calls `resumeAudio()` lets the persona be heard.
 *
 * Both engines let a page that captures a real microphone play sound without a gesture, and the
 * SDK captures before it plays, so the block needs a stricter setting: Chromium's
 * `--autoplay-policy=user-gesture-required`, Firefox's `media.autoplay.blocking_policy` 2
 * (every play needs user input), which refuses the `<audio>` element but still runs
 * AudioContexts (see e2e/browsers/).
 */
import {
  audioElementPeak,
  connectResult,
  errorEvents,
  expect,
  leftovers,
  NOTHING_RUNNING,
  test,
  waitForEvent,
} from '../fixtures.ts';

test.use({ browserSetup: { autoplay: 'blocked' } });

test('AUDIO_PLAYBACK_BLOCKED: reported while the call starts; a click on "Enable audio" plays the persona', async ({
  scenarioTab,
  athos,
}) => {
  const page = scenarioTab.page;
  await athos.fault('reset');
  const options = { token: await athos.mintToken(), drillKey: 'ma-full-sale', apiBase: athos.url };
  const callsBefore = (await athos.calls()).length;
  // The page starts the call itself, and the test watches only the server until the call is
  // live: touching the page would count as a user gesture and lift the autoplay block.
  await page.goto(`/e2e/harness.html#autostart=${encodeURIComponent(JSON.stringify(options))}`);
  await expect
    .poll(async () => (await athos.calls()).slice(callsBefore).map((call) => call.state), { timeout: 20_000 })
    .toEqual(['live']);
  await waitForEvent(page, 'ready');
  expect(await errorEvents(page)).toEqual([expect.objectContaining({ code: 'AUDIO_PLAYBACK_BLOCKED', phase: 'media' })]);
  // Not a failure of connect(): the call is live, only silent for the rep.
  expect(await connectResult(page)).toEqual({ ok: true });
  expect(await audioElementPeak(page, 1000)).toBeLessThan(0.001);
  await page.click('#resume');
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 20_000 }).toBeGreaterThan(0.05);
  expect(await errorEvents(page)).toHaveLength(1);
  await page.evaluate(() => window.harness.session?.disconnect());
  await waitForEvent(page, 'ended');
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
});
