/**
 * The error matrix: every code an integrator can see in the browser, provoked for real against
 * the local server. For each one the tests check that the code arrives as the `error` event and,
 * where the contract says so, as the rejection of `connect()` with the same error object; that
 * nothing is left running; and, for some, what the demo page shows. Most codes are provoked in
 * Chromium and in Firefox (e2e/scenarios/); this file holds what only Chromium can provoke and
 * the demo page.
 *
 * | code                      | provoked by                                               | where                      |
 * | ------------------------- | --------------------------------------------------------- | -------------------------- |
 * | BROWSER_NOT_SUPPORTED     | a Safari and an Android user agent                        | here (Chromium)            |
 * | INVALID_TOKEN             | a malformed token; a blank token                          | scenarios/redemption       |
 * | TOKEN_EXPIRED             | a token of a server whose tokens live 1 s                 | scenarios/redemption       |
 * | TOKEN_ALREADY_USED        | a token redeemed before (on the demo: demo.spec.ts)       | scenarios/redemption       |
 * | DRILL_NOT_FOUND           | an unknown drill key                                      | scenarios/redemption       |
 * | INVALID_REQUEST           | a blank drill key; a request Athos refuses (server fault) | scenarios/redemption       |
 * | TENANT_INACTIVE           | the tenant switched off (server fault)                    | scenarios/redemption       |
 * | TENANT_QUOTA_EXCEEDED     | the tenant over quota (server fault)                      | scenarios/redemption       |
 * | SERVICE_UNAVAILABLE       | 503 on every attempt; 429 with Retry-After                | scenarios/redemption       |
 * | INTERNAL_ERROR            | 500; a server code the SDK does not know                  | scenarios/redemption       |
 * |                           | an AudioContext that never runs (no output device)        | scenarios/audio-device     |
 * | SESSION_ALREADY_CONNECTED | connect() twice                                           | scenarios/call             |
 * | MIC_DEVICE_DISCONNECTED   | the microphone permission revoked mid-call                | here (Chromium)            |
 * | NETWORK_LOST              | a drop with reconnects refused past 30 s                  | scenarios/reconnect        |
 * | MIC_PERMISSION_DENIED     | a browser that refuses the microphone                     | scenarios/microphone; here |
 * |                           |                                                           | the demo (Chromium)        |
 * | NO_MIC_AVAILABLE          | a browser without any audio input                         | scenarios/microphone       |
 * | AUDIO_PLAYBACK_BLOCKED    | a strict autoplay setting, call started by the page at    | scenarios/autoplay         |
 * |                           | load                                                      |                            |
 *
 * The other four codes (INVALID_API_KEY, API_KEY_REVOKED, IP_NOT_ALLOWED, CALL_NOT_FOUND)
 * belong to the backend endpoints and never reach the browser.
 */
import type { Page } from '@playwright/test';
import { RECOVERY } from '../demo/recovery.ts';
import type { AthosErrorCode, AthosRoleplayError } from '../src/index.ts';
import {
  connectResult,
  errorEvents,
  expect,
  leftovers,
  NOTHING_RUNNING,
  sessionState,
  startCall,
  test,
  waitForEvent,
} from './fixtures.ts';

const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

test.describe('raised by create()', () => {
  for (const { browser, userAgent, reason } of [
    { browser: 'Safari', userAgent: SAFARI_UA, reason: 'safari' },
    { browser: 'Chrome on Android', userAgent: ANDROID_UA, reason: 'mobile' },
  ]) {
    test.describe(browser, () => {
      test.use({ userAgent });

      test(`BROWSER_NOT_SUPPORTED: create() throws synchronously in ${browser}`, async ({ athosPage: page }) => {
        const outcome = await page.evaluate(() => {
          const { harness } = window;
          try {
            harness.create({ token: 'ast_unused', drillKey: 'ma-full-sale' });
            return { threw: null };
          } catch (error) {
            return { threw: (error as AthosRoleplayError).toJSON(), session: harness.session ?? null };
          }
        });
        expect(outcome).toEqual({
          threw: expect.objectContaining({ code: 'BROWSER_NOT_SUPPORTED', phase: 'create', retryable: false }),
          session: null,
        });
        expect(await page.evaluate(() => window.harness.sdk.detectBrowserSupport(navigator.userAgent))).toEqual({
          supported: false,
          reason,
        });
        expect(await leftovers(page)).toEqual(NOTHING_RUNNING);
      });

      test(`BROWSER_NOT_SUPPORTED: the demo warns and explains in ${browser}`, async ({ demoPage: page }) => {
        await expect(page.locator('#support-banner')).toContainText(`not supported (${reason})`);
        await page.getByRole('button', { name: 'Start call', exact: true }).click();
        await expectDemoError(page, 'BROWSER_NOT_SUPPORTED', ['create']);
      });
    });
  }
});

test.describe('during a call', () => {
  test('MIC_DEVICE_DISCONNECTED: the microphone goes away mid-call; the call goes on', async ({
    athosPage: page,
    athos,
    context,
  }) => {
    await startCall(page, athos);
    await context.clearPermissions();
    await waitForEvent(page, 'error');
    expect(await errorEvents(page)).toEqual([expect.objectContaining({ code: 'MIC_DEVICE_DISCONNECTED', phase: 'media' })]);
    expect(await connectResult(page)).toEqual({ ok: true });
    expect(await sessionState(page)).toBe('connected');
    await page.evaluate(() => window.harness.session!.disconnect());
    await waitForEvent(page, 'ended');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});

test.describe('microphone refused', () => {
  test.use({ permissions: [] });

  test('MIC_PERMISSION_DENIED: what the demo shows', async ({ demoPage: page }) => {
    await page.getByRole('button', { name: 'Start call', exact: true }).click();
    await expectDemoError(page, 'MIC_PERMISSION_DENIED', ['media']);
  });
});

/**
 * Checks the demo's error panel: the code, the structured fields it lists, and the recommended
 * recovery; and that the page is ready for the next call.
 */
async function expectDemoError(page: Page, code: AthosErrorCode, fieldValues: string[]): Promise<void> {
  const panel = page.locator('#error-panel');
  await expect(panel.locator('#error-effect')).toHaveText('The call did not start.');
  await expect(panel.locator('#error-code')).toHaveText(code);
  await expect(panel.locator('#error-message')).not.toBeEmpty();
  await expect(panel.locator('#error-recovery')).toHaveText(RECOVERY[code]);
  for (const value of fieldValues)
    await expect(panel.locator('#error-fields dd').filter({ hasText: value }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start call', exact: true })).toBeEnabled();
}

test.describe('what the demo page shows', () => {
  const DEMO_CASES: { code: AthosErrorCode; action: string; act(page: Page): Promise<void>; fields: string[] }[] = [
    {
      code: 'INVALID_TOKEN',
      action: 'a malformed token',
      act: (page) => page.getByRole('button', { name: 'A malformed token', exact: true }).click(),
      fields: ['redeem', '401', 'req_'],
    },
    {
      code: 'DRILL_NOT_FOUND',
      action: 'an unknown drill',
      act: (page) => page.getByRole('button', { name: 'An unknown drill', exact: true }).click(),
      fields: ['redeem', '400'],
    },
    {
      code: 'INVALID_REQUEST',
      action: 'a blank drill',
      act: (page) => page.getByRole('button', { name: 'A blank drill', exact: true }).click(),
      fields: ['connect'],
    },
    {
      code: 'TENANT_INACTIVE',
      action: 'the tenant switched off',
      act: async (page) => {
        await page.getByLabel('Tenant state').selectOption('inactive');
        await page.getByRole('button', { name: 'Set', exact: true }).click();
        await expect(page.locator('#fault-status')).toContainText('tenant inactive');
        await page.getByRole('button', { name: 'Start call', exact: true }).click();
      },
      fields: ['redeem', '403'],
    },
    {
      code: 'SERVICE_UNAVAILABLE',
      action: '503 armed three times',
      act: async (page) => {
        await page.getByLabel('Fail with').selectOption('SERVICE_UNAVAILABLE');
        await page.getByLabel('Times').fill('3');
        await page.getByRole('button', { name: 'Arm', exact: true }).click();
        await expect(page.locator('#fault-status')).toContainText('SERVICE_UNAVAILABLE (×3)');
        await page.getByRole('button', { name: 'Start call', exact: true }).click();
      },
      fields: ['redeem', '503', 'true'],
    },
  ];

  for (const { code, action, act, fields } of DEMO_CASES) {
    test(`${code}: ${action}`, async ({ demoPage: page }) => {
      await act(page);
      await expectDemoError(page, code, fields);
      await expect(page.locator('#state')).toHaveText('ended');
      await expect(page.locator('#log')).toContainText('connect() rejected with the same error as the error event');
    });
  }
});
