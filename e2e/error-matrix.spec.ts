/**
 * The error matrix: every code an integrator can see in the browser, provoked for real in
 * Chromium against the local server. For each one it checks that the code arrives as the `error`
 * event and, where the contract says so, as the rejection of `connect()` with the same error
 * object; that nothing is left running; and, for some, what the demo page shows.
 *
 * | code                      | provoked by                                               | group              |
 * | ------------------------- | --------------------------------------------------------- | ------------------ |
 * | BROWSER_NOT_SUPPORTED     | a Safari and an Android user agent                        | raised by create() |
 * | INVALID_TOKEN             | a malformed token; a blank token                          | token redemption   |
 * | TOKEN_EXPIRED             | a token of a server whose tokens live 1 s                 | token redemption   |
 * | TOKEN_ALREADY_USED        | a token redeemed before (on the demo: demo.spec.ts)       | token redemption   |
 * | DRILL_NOT_FOUND           | an unknown drill key                                      | token redemption   |
 * | INVALID_REQUEST           | a blank drill key; a request Athos refuses (server fault) | token redemption   |
 * | TENANT_INACTIVE           | the tenant switched off (server fault)                    | token redemption   |
 * | TENANT_QUOTA_EXCEEDED     | the tenant over quota (server fault)                      | token redemption   |
 * | SERVICE_UNAVAILABLE       | 503 on every attempt; 429 with Retry-After                | token redemption   |
 * | INTERNAL_ERROR            | 500; a server code the SDK does not know                  | token redemption   |
 * | SESSION_ALREADY_CONNECTED | connect() twice                                           | during a call      |
 * | MIC_DEVICE_DISCONNECTED   | the microphone permission revoked mid-call                | during a call      |
 * | NETWORK_LOST              | a drop with reconnects refused past 30 s (the timing and  | during a call      |
 * |                           | the events after `ended`: connection.spec.ts)             |                    |
 * | MIC_PERMISSION_DENIED     | a context without the microphone permission               | microphone refused |
 * | NO_MIC_AVAILABLE          | Chromium without fake devices (no sound hardware here)    | no microphone      |
 * | AUDIO_PLAYBACK_BLOCKED    | Chromium with the strict autoplay policy, call started    | autoplay blocked   |
 * |                           | by the page at load                                       |                    |
 *
 * The other four codes (INVALID_API_KEY, API_KEY_REVOKED, IP_NOT_ALLOWED, CALL_NOT_FOUND)
 * belong to the backend endpoints and never reach the browser.
 */
import type { Page } from '@playwright/test';
import { RECOVERY } from '../demo/recovery.ts';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS, FAKE_MIC_ARGS } from '../playwright.config.ts';
import { startAthosServer } from '../server/index.js';
import type { AthosErrorCode, AthosRoleplayCreateOptions, AthosRoleplayError, AthosRoleplayErrorJSON } from '../src/index.ts';
import {
  type AthosServerHandle,
  audioElementPeak,
  eventNames,
  expect,
  leftovers,
  NOTHING_RUNNING,
  startCall,
  test,
  waitForEvent,
} from './fixtures.ts';
import type { ConnectResult } from './harness.ts';

const REQUEST_ID = expect.stringMatching(/^req_/);

const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

type Options = Record<string, unknown>;

/** Starts a session on the harness page against `server`, without waiting for anything. */
async function start(page: Page, server: { url: string }, options: Options): Promise<void> {
  await page.evaluate(
    (opts) => {
      const { harness } = window;
      harness.connectResult = undefined;
      void harness.start(opts as AthosRoleplayCreateOptions);
    },
    { drillKey: 'ma-full-sale', apiBase: server.url, ...options },
  );
}

/** How `connect()` settled, once it has. */
async function connectResult(page: Page): Promise<ConnectResult> {
  await page.waitForFunction(() => window.harness.connectResult !== undefined);
  return page.evaluate(() => window.harness.connectResult!);
}

/** The payloads of the `error` events recorded so far (their JSON form). */
function errorEvents(page: Page): Promise<AthosRoleplayErrorJSON[]> {
  return page.evaluate(() => window.harness.events.filter((event) => event.name === 'error').map((event) => event.payload));
}

function sessionState(page: Page): Promise<string> {
  return page.evaluate(() => window.harness.session!.state);
}

/**
 * Checks a failed start: `connect()` rejected with `code` and `fields`, the `error` event
 * carried the very same error, the session ended, and nothing is left running.
 */
async function expectConnectRejected(page: Page, code: AthosErrorCode, fields: Options): Promise<void> {
  const result = await connectResult(page);
  expect(result).toEqual({ ok: false, error: expect.objectContaining({ code, ...fields, sameAsEvent: true }) });
  expect(await errorEvents(page)).toEqual([expect.objectContaining({ code })]);
  expect(await sessionState(page)).toBe('ended');
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
}

/** Mints a token on any local server, as an integrator's backend does. */
async function mint(url: string, apiKey: string): Promise<{ token: string; expiresAt: string }> {
  const response = await fetch(`${url}/api/external/v1/session`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ externalUserId: 'rep-matrix' }),
  });
  return response.json();
}

/** Redeems a token outside the browser, so that the browser finds it spent. */
async function spend(athos: AthosServerHandle, token: string): Promise<void> {
  const response = await fetch(`${athos.url}/api/external/v1/roleplay/session`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ drillKey: 'ma-full-sale' }),
  });
  expect(response.status).toBe(200);
}

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

interface RedemptionCase {
  code: AthosErrorCode;
  /** How the failure is provoked. */
  cause: string;
  /** The error's fields besides the code. */
  fields: Options;
  /** The SDK refuses the options itself, before it asks for the microphone. */
  checkedBySdk?: boolean;
  /** Sets the failure up; returns the `create()` options that meet it. */
  arrange(athos: AthosServerHandle): Promise<Options>;
}

const fromServer = (httpStatus: number, extra: Options = {}) => ({
  phase: 'redeem',
  httpStatus,
  requestId: REQUEST_ID,
  ...extra,
});
const freshToken = async (athos: AthosServerHandle) => ({ token: await athos.mintToken() });
const withFault = (name: string, body: Options) => async (athos: AthosServerHandle) => {
  await athos.fault(name, body);
  return freshToken(athos);
};

const REDEMPTION_CASES: RedemptionCase[] = [
  {
    code: 'INVALID_TOKEN',
    cause: 'a malformed token',
    fields: fromServer(401, { retryable: false }),
    arrange: async () => ({ token: 'ast_not-a-real-token' }),
  },
  {
    code: 'INVALID_TOKEN',
    cause: 'a blank token',
    fields: { phase: 'connect' },
    checkedBySdk: true,
    arrange: async () => ({ token: '   ' }),
  },
  {
    code: 'TOKEN_ALREADY_USED',
    cause: 'a token redeemed before',
    fields: fromServer(401),
    arrange: async (athos) => {
      const { token } = await freshToken(athos);
      await spend(athos, token);
      return { token };
    },
  },
  {
    code: 'DRILL_NOT_FOUND',
    cause: 'an unknown drill key',
    fields: fromServer(400),
    arrange: async (athos) => ({ ...(await freshToken(athos)), drillKey: 'zz-no-such-drill' }),
  },
  {
    code: 'INVALID_REQUEST',
    cause: 'a blank drill key',
    fields: { phase: 'connect', retryable: false },
    checkedBySdk: true,
    arrange: async (athos) => ({ ...(await freshToken(athos)), drillKey: '' }),
  },
  {
    code: 'INVALID_REQUEST',
    cause: 'a request Athos refuses',
    fields: fromServer(400),
    arrange: withFault('next-redemption', { code: 'INVALID_REQUEST' }),
  },
  {
    code: 'TENANT_INACTIVE',
    cause: 'an inactive tenant',
    fields: fromServer(403, { retryable: false }),
    arrange: withFault('tenant', { state: 'inactive' }),
  },
  {
    code: 'TENANT_QUOTA_EXCEEDED',
    cause: 'a tenant over quota',
    fields: fromServer(403, { retryable: false }),
    arrange: withFault('tenant', { state: 'over_quota' }),
  },
  {
    code: 'SERVICE_UNAVAILABLE',
    cause: '503 on each of the SDK’s three attempts',
    fields: fromServer(503, { retryable: true }),
    arrange: withFault('next-redemption', { code: 'SERVICE_UNAVAILABLE', times: 3 }),
  },
  {
    code: 'SERVICE_UNAVAILABLE',
    cause: '429 with Retry-After on each attempt',
    fields: fromServer(429, { retryable: true, retryAfterMs: 1000 }),
    arrange: withFault('next-redemption', { status: 429, retryAfterSec: 1, times: 3 }),
  },
  {
    code: 'INTERNAL_ERROR',
    cause: 'a 500 from Athos',
    fields: fromServer(500, { retryable: true }),
    arrange: withFault('next-redemption', { code: 'INTERNAL_ERROR' }),
  },
  {
    code: 'INTERNAL_ERROR',
    cause: 'a server code the SDK does not know',
    fields: fromServer(400, { serverCode: 'DRILL_RETIRED' }),
    arrange: withFault('next-redemption', { code: 'DRILL_RETIRED', status: 400 }),
  },
];

test.describe('from the token redemption', () => {
  for (const { code, cause, fields, checkedBySdk, arrange } of REDEMPTION_CASES) {
    test(`${code}: ${cause}`, async ({ athosPage: page, athos }) => {
      await start(page, athos, await arrange(athos));
      await expectConnectRejected(page, code, fields);
      // No call was created, so there is no `ended`.
      expect(await eventNames(page)).toEqual(['connecting', 'error']);
      if (checkedBySdk) expect(await page.evaluate(() => window.leakProbe.tracks.length)).toBe(0);
    });
  }

  test('TOKEN_EXPIRED: a token that outlived its lifetime', async ({ athosPage: page }) => {
    const shortLived = await startAthosServer({ port: 0, apiKey: 'ath_test_expiry', tokenTtlSec: 1 });
    try {
      const { token, expiresAt } = await mint(shortLived.url, shortLived.apiKey);
      await expect.poll(() => Date.now(), { timeout: 5_000 }).toBeGreaterThan(Date.parse(expiresAt));
      await start(page, shortLived, { token });
      await expectConnectRejected(page, 'TOKEN_EXPIRED', fromServer(401, { retryable: false }));
      expect(await eventNames(page)).toEqual(['connecting', 'error']);
    } finally {
      await shortLived.close();
    }
  });

  test('INVALID_REQUEST leaves the token unspent: the same token starts the call', async ({ athosPage: page, athos }) => {
    const token = await athos.mintToken();
    await start(page, athos, { token, drillKey: '' });
    await expectConnectRejected(page, 'INVALID_REQUEST', { phase: 'connect' });
    await start(page, athos, { token });
    await waitForEvent(page, 'ready');
    expect(await connectResult(page)).toEqual({ ok: true });
  });
});

test.describe('during a call', () => {
  test('SESSION_ALREADY_CONNECTED: a second connect() rejects and the call goes on', async ({ athosPage: page, athos }) => {
    await startCall(page, athos);
    const second = await page.evaluate(async () => {
      const session = window.harness.session!;
      let emitted: unknown;
      const off = session.on('error', (error: unknown) => (emitted = error));
      const rejected = await session.connect().then(
        () => null,
        (error: AthosRoleplayError) => error,
      );
      off();
      return { error: rejected?.toJSON(), sameAsEvent: emitted === rejected, state: session.state };
    });
    expect(second).toEqual({
      error: expect.objectContaining({ code: 'SESSION_ALREADY_CONNECTED', phase: 'connect', retryable: false }),
      sameAsEvent: true,
      state: 'connected',
    });
    expect(await connectResult(page)).toEqual({ ok: true });
    expect(await eventNames(page)).not.toContain('ended');
    await page.evaluate(() => window.harness.session!.disconnect());
    await waitForEvent(page, 'ended');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });

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

  test('NETWORK_LOST: no reconnect within 30 s ends the call', async ({ athosPage: page, athos }) => {
    test.setTimeout(90_000);
    await startCall(page, athos);
    await athos.fault('refuse-reconnects', { seconds: 60 });
    await athos.fault('drop');
    await waitForEvent(page, 'reconnecting');
    await waitForEvent(page, 'ended', 1, 40_000);
    const events = await page.evaluate(() => window.harness.events);
    const names = events.map((event) => event.name);
    expect(names.slice(names.indexOf('reconnecting'))).toEqual(['reconnecting', 'error', 'ended']);
    const dropAt = events.find((event) => event.name === 'reconnecting')!.at;
    const error = events.find((event) => event.name === 'error')!;
    expect(error.payload).toMatchObject({ code: 'NETWORK_LOST', phase: 'call', retryable: true });
    expect(error.at - dropAt).toBeGreaterThanOrEqual(29_900);
    expect(error.at - dropAt).toBeLessThan(32_000);
    // connect() had long resolved: a mid-call error is an event only.
    expect(await connectResult(page)).toEqual({ ok: true });
    expect(await sessionState(page)).toBe('ended');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});

test.describe('microphone refused', () => {
  test.use({ permissions: [] });

  test('MIC_PERMISSION_DENIED: before redemption; the same token works once allowed', async ({
    athosPage: page,
    athos,
    context,
  }) => {
    const token = await athos.mintToken();
    await start(page, athos, { token });
    await expectConnectRejected(page, 'MIC_PERMISSION_DENIED', { phase: 'media', retryable: false });
    expect(await eventNames(page)).toEqual(['connecting', 'error']);
    await context.grantPermissions(['microphone']);
    await start(page, athos, { token });
    await waitForEvent(page, 'ready');
    expect(await connectResult(page)).toEqual({ ok: true });
  });

  test('MIC_PERMISSION_DENIED: what the demo shows', async ({ demoPage: page }) => {
    await page.getByRole('button', { name: 'Start call', exact: true }).click();
    await expectDemoError(page, 'MIC_PERMISSION_DENIED', ['media']);
  });
});

test.describe('no microphone', () => {
  test.use({ chromiumArgs: [...CHROMIUM_ARGS, ...AUTOPLAY_ARGS] });

  test('NO_MIC_AVAILABLE: a machine without any audio input', async ({ athosPage: page, athos }) => {
    await start(page, athos, { token: await athos.mintToken() });
    await expectConnectRejected(page, 'NO_MIC_AVAILABLE', { phase: 'media', retryable: false });
    expect(await eventNames(page)).toEqual(['connecting', 'error']);
  });
});

test.describe('autoplay blocked', () => {
  // Chromium's default policy lets a page that is capturing the microphone play sound, and the
  // SDK captures before it plays; the stricter policy blocks it as other browsers and settings do.
  test.use({ chromiumArgs: [...CHROMIUM_ARGS, ...FAKE_MIC_ARGS, '--autoplay-policy=user-gesture-required'] });

  test('AUDIO_PLAYBACK_BLOCKED: reported while the call starts; a click on "Enable audio" plays the persona', async ({
    page,
    athos,
  }) => {
    await athos.fault('reset');
    const options = { token: await athos.mintToken(), drillKey: 'ma-full-sale', apiBase: athos.url };
    // The page starts the call itself, and the test watches only its traffic until the call is
    // live: touching the page would count as a user gesture and lift the autoplay block.
    const gateway = page.waitForEvent('websocket', (socket) => socket.url().startsWith(athos.url.replace('http', 'ws')));
    await page.goto(`/e2e/harness.html#autostart=${encodeURIComponent(JSON.stringify(options))}`);
    await (await gateway).waitForEvent('framereceived', (frame) => String(frame.payload).includes('"type":"live"'));
    await waitForEvent(page, 'ready');
    expect(await errorEvents(page)).toEqual([expect.objectContaining({ code: 'AUDIO_PLAYBACK_BLOCKED', phase: 'media' })]);
    // Not a failure of connect(): the call is live, only silent for the rep.
    expect(await connectResult(page)).toEqual({ ok: true });
    expect(await audioElementPeak(page, 1000)).toBeLessThan(0.001);
    await page.click('#resume');
    await expect.poll(() => audioElementPeak(page, 1000), { timeout: 15_000 }).toBeGreaterThan(0.05);
    expect(await errorEvents(page)).toHaveLength(1);
    await page.evaluate(() => window.harness.session!.disconnect());
    await waitForEvent(page, 'ended');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
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
