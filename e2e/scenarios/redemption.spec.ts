/**
 * Every error of the token redemption that the error matrix covers (e2e/error-matrix.spec.ts),
 * provoked for real against the local server, in Chromium and in Firefox: each rejects
 * `connect()` with the same error object as the `error` event, with its structured fields, and
 * leaves nothing running.
 */
import { startAthosServer } from '../../server/index.js';
import type { AthosErrorCode } from '../../src/index.ts';
import {
  type AthosServerHandle,
  connectResult,
  eventNames,
  expect,
  expectConnectRejected,
  startWith,
  test,
  waitForEvent,
} from '../fixtures.ts';

type Options = Record<string, unknown>;

const REQUEST_ID = expect.stringMatching(/^req_/);

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
    test(`${code}: ${cause}`, async ({ harness: page, athos }) => {
      await startWith(page, athos, await arrange(athos));
      await expectConnectRejected(page, code, fields);
      // No call was created, so there is no `ended`.
      expect(await eventNames(page)).toEqual(['connecting', 'error']);
      if (checkedBySdk) expect(await page.evaluate(() => window.leakProbe.tracks.length)).toBe(0);
    });
  }

  test('TOKEN_EXPIRED: a token that outlived its lifetime', async ({ harness: page }) => {
    const shortLived = await startAthosServer({ port: 0, apiKey: 'ath_test_expiry', tokenTtlSec: 1 });
    try {
      const { token, expiresAt } = await mint(shortLived.url, shortLived.apiKey);
      await expect.poll(() => Date.now(), { timeout: 5_000 }).toBeGreaterThan(Date.parse(expiresAt));
      await startWith(page, shortLived, { token });
      await expectConnectRejected(page, 'TOKEN_EXPIRED', fromServer(401, { retryable: false }));
      expect(await eventNames(page)).toEqual(['connecting', 'error']);
    } finally {
      await shortLived.close();
    }
  });

  test('INVALID_REQUEST leaves the token unspent: the same token starts the call', async ({ harness: page, athos }) => {
    const token = await athos.mintToken();
    await startWith(page, athos, { token, drillKey: '' });
    await expectConnectRejected(page, 'INVALID_REQUEST', { phase: 'connect' });
    await startWith(page, athos, { token });
    await waitForEvent(page, 'ready');
    expect(await connectResult(page)).toEqual({ ok: true });
  });
});
