/**
 * The QA demo page, driven like a person: start a call, hear the persona, mute, switch the
 * microphone, drop the network from the QA panel and watch the banner recover, end the call
 * and read the transcript. Screenshots of the page mid-call and after the call are saved in the
 * test's output folder.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Page } from '@playwright/test';
import { audioElementPeak, expect, leftovers, NOTHING_RUNNING, test } from './fixtures.ts';

test.use({ viewport: { width: 1280, height: 800 } });

/** The loudest level a meter of the demo shows over a second. */
function meterPeak(page: Page, id: 'level' | 'output-level'): Promise<number> {
  return page.locator(`#${id}`).evaluate(async (meter: HTMLMeterElement) => {
    let peak = 0;
    const until = performance.now() + 1_000;
    while (performance.now() < until) {
      peak = Math.max(peak, meter.value);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return peak;
  });
}

test('a QA person runs a whole call on the demo page', async ({ demoPage: page, athos }, testInfo) => {
  test.setTimeout(120_000);
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
  // The SDK's levels move both meters: the fake microphone's sentence, and the persona.
  await expect.poll(() => meterPeak(page, 'level'), { timeout: 15_000 }).toBeGreaterThan(0.3);
  await expect.poll(() => meterPeak(page, 'output-level'), { timeout: 20_000 }).toBeGreaterThan(0.3);
  // The figures of getStats() and getTalkMetrics(), refreshed every second.
  await expect(page.locator('#stats')).toContainText(/round trip\s*\d+ ms/);
  await expect(page.locator('#talk')).toContainText(/persona talked\s*[1-9]/);
  await page.screenshot({ path: testInfo.outputPath('demo-mid-call.png'), fullPage: true });

  // Mute and unmute.
  const mute = page.getByRole('button', { name: 'Mute', exact: true });
  await mute.click();
  await expect(page.getByRole('button', { name: 'Unmute', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#user-speaking')).toHaveText('You: silent');
  await expect(page.locator('#level-note')).toContainText('muted');
  expect(await meterPeak(page, 'level')).toBe(0);
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
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), not the DOM property.
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
  await expect(page.locator('#result-reason')).toHaveText('client');
  await expect(page.locator('#result-metrics')).toContainText(/you talked\s*\d+\.\d s/);
  await expect(page.locator('#stats')).toContainText(/reconnects\s*1 \(/);
  await expect(page.locator('#level')).toHaveJSProperty('value', 0);
  await expect(page.locator('#output-level')).toHaveJSProperty('value', 0);
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

/** Every control of the demo page that starts a call. */
const START_CONTROLS = [
  'Start call',
  'The last token again',
  'An expired token',
  'A malformed token',
  'A blank drill',
  'An unknown drill',
];

/** Starts a call from the demo's start button and waits until it is live; returns its callId. */
async function startLiveCall(page: Page): Promise<string> {
  const redemption = page.waitForResponse((response) => response.url().endsWith('/roleplay/session') && response.ok());
  await page.getByRole('button', { name: 'Start call', exact: true }).click();
  const { callId } = (await (await redemption).json()) as { callId: string };
  await expect(page.locator('#state')).toHaveText('connected');
  return callId;
}

test('"Check my setup" shows the pre-call report, plays a tone on the chosen speaker and uses the confirmed one for calls', async ({
  demoPage: page,
}) => {
  const run = page.getByRole('button', { name: 'Check my setup', exact: true });
  await run.click();
  const items = page.locator('#check-items li');
  await expect(items).toHaveCount(8, { timeout: 15_000 });
  for (const item of ['Browser', 'Secure page', 'Microphone', 'Athos API', 'Voice connection', 'Audio without a click']) {
    await expect(items.filter({ hasText: item }).first().locator('.check-verdict')).toHaveText('pass');
  }
  await expect(items.filter({ hasText: 'Athos API' })).toContainText(/Round trip \d+ ms/);
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);

  // Chromium's fake devices include outputs: pick one that is not the default.
  const speaker = page.getByLabel('Speaker to test');
  const outputs = await speaker.locator('option').evaluateAll((all: HTMLOptionElement[]) => all.map((o) => o.value));
  expect(outputs[0]).toBe('');
  const chosen = outputs.find((value) => value !== '') ?? '';
  await speaker.selectOption(chosen);
  await page.getByRole('button', { name: 'Play a test tone', exact: true }).click();
  await expect(page.locator('#tone-result')).toContainText('Played a 1 s tone on');
  await page.getByRole('button', { name: 'Yes, I heard it', exact: true }).click();
  await expect(page.locator('#tone-result')).toContainText('Speaker confirmed');

  // The next call plays on the confirmed speaker from the start.
  await page.getByRole('button', { name: 'Start call', exact: true }).click();
  await expect(page.locator('#state')).toHaveText('connected');
  await expect(page.locator('#log')).toContainText(`setSpeaker(${JSON.stringify(chosen)}) before connect()`);
  expect(await page.evaluate(() => document.querySelector('audio')?.sinkId)).toBe(chosen);
  await expect(run).toBeDisabled();
  await page.getByRole('button', { name: 'End call', exact: true }).click();
  await expect(run).toBeEnabled();
});

test.describe('the demo never lies', () => {
  test('a live call cannot be replaced from the page: every start control is off until it ends', async ({
    demoPage: page,
    athos,
  }) => {
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/demo-api/token')) tokenRequests.push(request.url());
    });
    const callId = await startLiveCall(page);
    for (const name of START_CONTROLS) await expect(page.getByRole('button', { name, exact: true })).toBeDisabled();
    await expect(page.getByText('A call is running: end it to start another.').first()).toBeVisible();
    // Nor does the keyboard start one: Enter in the start form's text field submits nothing.
    await page.getByLabel(/^State/).press('Enter');

    await page.getByRole('button', { name: 'End call', exact: true }).click();
    await expect(page.locator('#state')).toHaveText('ended');
    await expect(page.locator('#result-call-id')).toHaveText(callId);
    // One call, ended on both sides, nothing left playing.
    expect(tokenRequests).toHaveLength(1);
    await expect.poll(async () => (await athos.callStats(callId)).state).not.toBe('live');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    for (const name of START_CONTROLS) await expect(page.getByRole('button', { name, exact: true })).toBeEnabled();
    await expect(page.getByText('A call is running: end it to start another.')).toHaveCount(2);
    for (const hint of await page.getByText('A call is running: end it to start another.').all()) await expect(hint).toBeHidden();
  });

  test('an error that did not end the call is shown as such, and cleared when the next call starts', async ({
    demoPage: page,
  }) => {
    const callErrors = page.locator('#call-errors');
    await startLiveCall(page);
    await page.getByRole('button', { name: 'Connect twice', exact: true }).click();
    await expect(callErrors).toContainText('Errors that did not end the call');
    await expect(callErrors).toContainText('SESSION_ALREADY_CONNECTED');
    await expect(callErrors).toContainText('The running call is not affected.');
    await expect(page.locator('#error-panel')).toBeHidden();
    await expect(page.locator('#state')).toHaveText('connected');

    // A clean end: the call reads as a good call, with the error still listed for what it was.
    await page.getByRole('button', { name: 'End call', exact: true }).click();
    await expect(page.locator('#result')).toBeVisible();
    await expect(page.locator('#result-reason')).toHaveText('client');
    await expect(page.locator('#error-panel')).toBeHidden();
    await expect(callErrors).toContainText('SESSION_ALREADY_CONNECTED');

    await page.getByRole('button', { name: 'Start call', exact: true }).click();
    await expect(callErrors).toBeHidden();
    await expect(page.locator('#call-errors-list li')).toHaveCount(0);
    await expect(page.locator('#state')).toHaveText('connected');
    await page.getByRole('button', { name: 'End call', exact: true }).click();
    await expect(page.locator('#state')).toHaveText('ended');
  });

  test('the fault status follows every action and call, and "Reset all faults" resets every control', async ({
    demoPage: page,
    athos,
  }) => {
    const status = page.locator('#fault-status');
    await expect(status).toHaveText('Server faults: tenant active');

    // A fault the call uses up leaves the line once the call has used it.
    await page.getByLabel('Fail with').selectOption('INVALID_TOKEN');
    await page.getByRole('button', { name: 'Arm', exact: true }).click();
    await expect(status).toHaveText('Server faults: tenant active · next redemption fails with 401 INVALID_TOKEN (×1)');
    await page.getByRole('button', { name: 'Start call', exact: true }).click();
    await expect(page.locator('#error-code')).toHaveText('INVALID_TOKEN');
    await expect(status).toHaveText('Server faults: tenant active');

    // A fault set behind the page's back shows after the next call.
    await athos.fault('tenant', { state: 'inactive' });
    await page.getByRole('button', { name: 'Start call', exact: true }).click();
    await expect(page.locator('#error-code')).toHaveText('TENANT_INACTIVE');
    await expect(status).toHaveText('Server faults: tenant inactive');

    // A timed fault leaves the line when it runs out.
    await page.getByLabel('Block for (s)').fill('1');
    await page.getByRole('button', { name: 'Block reconnects', exact: true }).click();
    await expect(status).toContainText('reconnects refused until');
    await expect(status).toHaveText('Server faults: tenant inactive', { timeout: 5_000 });

    // Reset puts every control back, as it puts the server's faults back.
    const controls = {
      'Stall for (s)': '9',
      'Block for (s)': '7',
      'Fail with': 'TOKEN_EXPIRED',
      Times: '3',
      'Tenant state': 'over_quota',
    } as const;
    await page.getByLabel('Stall for (s)').fill(controls['Stall for (s)']);
    await page.getByLabel('Block for (s)').fill(controls['Block for (s)']);
    await page.getByLabel('Fail with').selectOption(controls['Fail with']);
    await page.getByLabel('Times').fill(controls.Times);
    await page.getByLabel('Tenant state').selectOption(controls['Tenant state']);
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(status).toHaveText('Server faults: tenant over_quota');
    await page.getByRole('button', { name: 'Reset all faults', exact: true }).click();
    await expect(status).toHaveText('Server faults: tenant active');
    await expect(page.getByLabel('Stall for (s)')).toHaveValue('5');
    await expect(page.getByLabel('Block for (s)')).toHaveValue('40');
    await expect(page.getByLabel('Fail with')).toHaveValue('INVALID_TOKEN');
    await expect(page.getByLabel('Times')).toHaveValue('1');
    await expect(page.getByLabel('Tenant state')).toHaveValue('active');
  });

  test('the reason a call ended is shown: ended by Athos, or by the error that ended it', async ({ demoPage: page }) => {
    test.setTimeout(90_000);
    // The server ends the call: no disconnect() of the page, no error.
    await startLiveCall(page);
    await page.getByRole('button', { name: 'End the call from the server', exact: true }).click();
    await expect(page.locator('#state')).toHaveText('ended');
    await expect(page.locator('#result-reason')).toHaveText('ended_by_athos');
    await expect(page.locator('#error-panel')).toBeHidden();

    // The call ends while the rep is offline: the resume is refused and NETWORK_LOST ends it.
    await startLiveCall(page);
    await page.getByLabel('Block for (s)').fill('60');
    await page.getByRole('button', { name: 'Block reconnects', exact: true }).click();
    await page.getByRole('button', { name: 'Drop the connection', exact: true }).click();
    await expect(page.locator('#state')).toHaveText('reconnecting');
    await page.getByRole('button', { name: 'End the call from the server', exact: true }).click();
    await expect(page.locator('#log')).toContainText(/QA end-call \{\} → HTTP 200 \{"ended":\["athos_call_/);
    await page.getByRole('button', { name: 'Reset all faults', exact: true }).click();
    await expect(page.locator('#state')).toHaveText('ended');
    await expect(page.locator('#error-code')).toHaveText('NETWORK_LOST');
    await expect(page.locator('#error-effect')).toHaveText('This error ended the call.');
    // The gateway had ended the call, so it refused the resume: the SDK's reason says so.
    await expect(page.locator('#result-reason')).toHaveText('resume_timeout');
    await expect(page.locator('#call-errors')).toBeHidden();
  });

  test('the empty event log says what to do', async ({ demoPage: page }) => {
    const hint = page.locator('.log-hint');
    await expect(hint).toBeVisible();
    await expect(hint).toHaveText(/Pick a drill and press Start call/);
    await expect(page.locator('#log')).toBeHidden();
    await page.getByRole('button', { name: 'Reset all faults', exact: true }).click();
    await expect(page.locator('#log')).toContainText('QA reset');
    await expect(hint).toBeHidden();
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(hint).toBeVisible();
    await expect(page.locator('#log')).toBeHidden();
  });
});

test('npm start serves the demo on the port of ATHOS_DEMO_PORT', async ({ page }, testInfo) => {
  // Builds dist/ first when it is missing, as a fresh clone's `npm start` does.
  test.setTimeout(180_000);
  const port = 5190 + testInfo.workerIndex;
  const start = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, ATHOS_DEMO_PORT: String(port), ATHOS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(start, 'exit');
  try {
    let output = '';
    const demoUrl = await new Promise<string>((resolve, reject) => {
      start.stdout.on('data', (chunk) => {
        output += chunk;
        const printed = /Demo: +(\S+)/.exec(output)?.[1];
        if (printed) resolve(printed);
      });
      start.stderr.on('data', (chunk) => {
        output += chunk;
      });
      void exited.then(([code]) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    expect(demoUrl).toBe(`http://localhost:${port}/demo/`);
    await page.goto(demoUrl);
    await page.locator('body[data-ready="true"]').waitFor();
    await expect(page.locator('#server-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(page.locator('#fault-status')).toHaveText('Server faults: tenant active');
  } finally {
    start.kill('SIGTERM');
    await exited;
  }
});
