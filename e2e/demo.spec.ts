/**
 * The QA demo page, driven like a person: start a call, hear the persona, mute, switch the
 * microphone, drop the network from the QA panel and watch the banner recover, end the call
 * and read the transcript. Screenshots of the page mid-call and after the call are saved in the
 * test's output folder.
 */
import type { Page } from '@playwright/test';
import { audioElementPeak, expect, leftovers, NOTHING_RUNNING, test } from './fixtures.ts';

test.use({ viewport: { width: 1280, height: 800 } });

/** The level the demo's input meter shows now. */
function meterLevel(page: Page): Promise<number> {
  return page.locator('#level').evaluate((meter: HTMLMeterElement) => meter.value);
}

test('a QA person runs a whole call on the demo page', async ({ demoPage: page, athos }, testInfo) => {
  test.setTimeout(90_000);
  const log = page.locator('#log');

  // Start: drill, difficulty and state, then the keyboard on the start button.
  await page.getByLabel('Drill').selectOption('ma-full-sale');
  await page.getByLabel('Difficulty').selectOption('Beginner');
  await page.getByLabel(/^State/).fill('CA');
  const redemption = page.waitForResponse((response) => response.url().endsWith('/roleplay/session') && response.ok());
  await page.getByRole('button', { name: 'Start call', exact: true }).focus();
  await page.keyboard.press('Enter');
  const { callId } = (await (await redemption).json()) as { callId: string };

  await expect(page.locator('#state')).toHaveText('connected');
  await expect(page.locator('#persona-name')).toHaveText('Margaret Ellison');
  await expect(page.locator('#persona-details')).toContainText('Fresno, CA');

  // The persona is heard at the SDK's <audio> element, and the page says so.
  await expect(page.locator('#persona-speaking')).toHaveText('Persona: speaking', { timeout: 15_000 });
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 15_000 }).toBeGreaterThan(0.05);
  // The fake microphone's sentence moves the input meter.
  await expect.poll(() => meterLevel(page), { timeout: 15_000 }).toBeGreaterThan(0.05);
  await page.screenshot({ path: testInfo.outputPath('demo-mid-call.png'), fullPage: true });

  // Mute and unmute.
  const mute = page.getByRole('button', { name: 'Mute', exact: true });
  await mute.click();
  await expect(page.getByRole('button', { name: 'Unmute', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#user-speaking')).toHaveText('You: silent');
  await expect(page.locator('#level-note')).toContainText('muted');
  await page.getByRole('button', { name: 'Unmute', exact: true }).click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');

  // Switch the microphone mid-call: the call goes on and the server keeps hearing the rep.
  const microphone = page.getByLabel('Microphone');
  const options = await microphone.locator('option').evaluateAll((all: HTMLOptionElement[]) => all.map((o) => o.value));
  expect(options.length).toBeGreaterThan(1);
  await microphone.selectOption(options[1]!);
  await expect(log).toContainText(`setMicrophone(${JSON.stringify(options[1])})`);
  const framesAfterSwitch = Number((await athos.callStats(callId)).uplinkFrames);
  await expect.poll(async () => Number((await athos.callStats(callId)).uplinkFrames)).toBeGreaterThan(framesAfterSwitch + 25);
  await expect(page.locator('#state')).toHaveText('connected');

  // Drop the connection from the QA panel, with reconnects blocked for 3 s so that the
  // countdown can be watched: the banner counts down, then the call recovers.
  await page.getByLabel('Block for (s)').fill('3');
  await page.getByRole('button', { name: 'Block reconnects', exact: true }).click();
  await expect(page.locator('#fault-status')).toContainText('reconnects refused until');
  await page.getByRole('button', { name: 'Drop the connection', exact: true }).click();
  const banner = page.locator('#reconnect-banner');
  await expect(banner).toContainText(/reconnecting… \d+ s left/);
  const secondsLeft = Number(/(\d+) s left/.exec(await banner.innerText())?.[1]);
  await expect(banner).toContainText(`reconnecting… ${secondsLeft - 1} s left`);
  await expect(banner).toHaveText('Reconnected: the call goes on.');
  await expect(page.locator('#state')).toHaveText('connected');
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 20_000 }).toBeGreaterThan(0.05);

  // End the call: the page shows the call as the REST API returns it.
  await page.getByRole('button', { name: 'End call', exact: true }).click();
  await expect(page.locator('#state')).toHaveText('ended');
  await expect(page.locator('#result-call-id')).toHaveText(callId);
  await expect(page.locator('#result-duration')).toHaveText(/^\d+ s$/);
  await expect(page.locator('#transcript li.turn-persona').first()).toContainText('Persona', { timeout: 20_000 });
  await expect(page.locator('#result-score')).toContainText('/ 100 (local score)');
  await expect(page.locator('#level')).toHaveJSProperty('value', 0);
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  await page.screenshot({ path: testInfo.outputPath('demo-after-call.png'), fullPage: true });
  await page.setViewportSize({ width: 800, height: 800 });
  await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
  await page.screenshot({ path: testInfo.outputPath('demo-after-call-800px.png'), fullPage: true });

  // The spent token, once more: TOKEN_ALREADY_USED with its recovery.
  await page.getByRole('button', { name: 'The last token again', exact: true }).click();
  await expect(page.locator('#error-code')).toHaveText('TOKEN_ALREADY_USED');
  await expect(page.locator('#error-recovery')).toContainText('Mint a new token for every call');
});

test('the script-tag page runs a call with the IIFE build', async ({ demoPage: page }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto('/demo/script-tag.html');
  await page.getByRole('button', { name: /Start call/ }).click();
  await expect(page.locator('#persona')).toContainText('Talking to ');
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 15_000 }).toBeGreaterThan(0.05);
  await page.getByRole('button', { name: 'End call', exact: true }).click();
  await expect(page.locator('#state')).toHaveText('ended');
  await expect(page.locator('#log')).toContainText('ended {"callId":"athos_call_');
  expect(pageErrors).toEqual([]);
});
