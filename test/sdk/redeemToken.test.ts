import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AthosRoleplayError } from '../../src/errors/AthosRoleplayError.ts';
import { parseRetryAfter } from '../../src/redeem/errorFromResponse.ts';
import { REDEEM_PATH, redeemToken } from '../../src/redeem/redeemToken.ts';
import { createLogger } from '../../src/utils/logger.ts';

const TOKEN = 'ast_secret_token_value';
const SUCCESS = {
  connectionUrl: 'ws://127.0.0.1:8787/v1/voice',
  connectionTicket: 'tkt_1',
  sessionId: 'ext_1',
  callId: 'athos_call_1',
  persona: { name: 'Dorothy Hale', details: { gender: 'female' } },
};

interface Call {
  url: string;
  init: RequestInit;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'X-Athos-Request-Id': 'req_header', ...headers },
  });
}

function envelope(status: number, code: string, headers: Record<string, string> = {}): Response {
  return json(status, { error: { code, message: `server says ${code} for ${TOKEN}`, requestId: 'req_body' } }, headers);
}

/** A fetch that answers from a script, one response (or thrown error) per call. */
function scriptedFetch(script: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = script.shift();
    if (!next) throw new Error('no more scripted responses');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

function redeem(fetch: typeof globalThis.fetch, signal = new AbortController().signal) {
  return redeemToken(
    { apiBase: 'http://127.0.0.1:8787', token: TOKEN, drillKey: 'ma-full-sale', difficulty: 'Elite', filters: { state: 'CA' } },
    { fetch, signal, idempotencyKey: 'idem-1', logger: createLogger(false, []) },
  );
}

/** Runs `promise` to completion while advancing fake time. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: AthosRoleplayError }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: AthosRoleplayError) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('redeemToken', () => {
  it('posts the options with the token as a bearer credential, never in the URL', async () => {
    const { fetch, calls } = scriptedFetch([json(200, SUCCESS)]);
    const { value } = await settle(redeem(fetch));
    expect(value).toEqual(SUCCESS);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(`http://127.0.0.1:8787${REDEEM_PATH}`);
    expect(call?.url).not.toContain(TOKEN);
    expect(call?.init.method).toBe('POST');
    expect(call?.init.headers).toMatchObject({ Authorization: `Bearer ${TOKEN}`, 'Idempotency-Key': 'idem-1' });
    expect(JSON.parse(String(call?.init.body))).toEqual({
      drillKey: 'ma-full-sale',
      difficulty: 'Elite',
      filters: { state: 'CA' },
    });
  });

  it.each([
    [401, 'INVALID_TOKEN'],
    [401, 'TOKEN_EXPIRED'],
    [401, 'TOKEN_ALREADY_USED'],
    [400, 'DRILL_NOT_FOUND'],
    [400, 'INVALID_REQUEST'],
    [403, 'TENANT_INACTIVE'],
    [403, 'TENANT_QUOTA_EXCEEDED'],
    [500, 'INTERNAL_ERROR'],
  ])('maps HTTP %i %s without retrying', async (status, code) => {
    const { fetch, calls } = scriptedFetch([envelope(status, code)]);
    const { error } = await settle(redeem(fetch));
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code, httpStatus: status, requestId: 'req_body', phase: 'redeem' });
    expect(error?.message).not.toContain(TOKEN);
    expect(calls).toHaveLength(1);
  });

  it('keeps an unknown server code as serverCode and reports INTERNAL_ERROR', async () => {
    const { fetch } = scriptedFetch([envelope(409, 'SOMETHING_NEW')]);
    const { error } = await settle(redeem(fetch));
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', serverCode: 'SOMETHING_NEW', httpStatus: 409 });
  });

  it('takes the request id from the header when the body is not the envelope', async () => {
    const html = new Response('<html>oops</html>', { status: 500, headers: { 'X-Athos-Request-Id': 'req_header' } });
    const { fetch } = scriptedFetch([html]);
    const { error } = await settle(redeem(fetch));
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', httpStatus: 500, requestId: 'req_header' });
    expect(error?.message).toContain('500');
  });

  it('reports an empty error body as INTERNAL_ERROR with the status', async () => {
    const { fetch } = scriptedFetch([new Response(null, { status: 502 })]);
    const { error } = await settle(redeem(fetch));
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', httpStatus: 502 });
  });

  it('reports a success body without required fields as INTERNAL_ERROR', async () => {
    const { fetch } = scriptedFetch([json(200, { ...SUCCESS, callId: undefined })]);
    const { error } = await settle(redeem(fetch));
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', httpStatus: 200 });
  });

  it('retries 503 with the same idempotency key and succeeds', async () => {
    const { fetch, calls } = scriptedFetch([envelope(503, 'SERVICE_UNAVAILABLE'), json(200, SUCCESS)]);
    const { value } = await settle(redeem(fetch));
    expect(value?.callId).toBe('athos_call_1');
    expect(calls.map((call) => (call.init.headers as Record<string, string>)['Idempotency-Key'])).toEqual(['idem-1', 'idem-1']);
  });

  it('retries network failures, at most three attempts in all', async () => {
    const { fetch, calls } = scriptedFetch([
      new TypeError('Failed to fetch'),
      new TypeError('Failed to fetch'),
      new TypeError('Failed to fetch'),
    ]);
    const { error } = await settle(redeem(fetch));
    expect(calls).toHaveLength(3);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', httpStatus: undefined, phase: 'redeem' });
    expect(error?.message).toMatch(/network/i);
  });

  it('gives up on 503 after three attempts', async () => {
    const { fetch, calls } = scriptedFetch([
      envelope(503, 'SERVICE_UNAVAILABLE'),
      envelope(503, 'SERVICE_UNAVAILABLE'),
      envelope(503, 'SERVICE_UNAVAILABLE'),
    ]);
    const { error } = await settle(redeem(fetch));
    expect(calls).toHaveLength(3);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, retryable: true });
  });

  it('honours Retry-After on 429 before the next attempt', async () => {
    const { fetch, calls } = scriptedFetch([
      new Response('', { status: 429, headers: { 'Retry-After': '3' } }),
      json(200, SUCCESS),
    ]);
    const outcome = redeem(fetch);
    await vi.advanceTimersByTimeAsync(2900);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(2);
    expect((await outcome).callId).toBe('athos_call_1');
  });

  it('does not wait past the 10 s budget for a long Retry-After', async () => {
    const { fetch, calls } = scriptedFetch([envelope(429, 'SERVICE_UNAVAILABLE', { 'Retry-After': '60' })]);
    const { error } = await settle(redeem(fetch));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 429, retryAfterMs: 60_000 });
  });

  it('times out a redemption that never answers', async () => {
    const fetch = vi.fn(
      (_url: unknown, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    ) as unknown as typeof globalThis.fetch;
    const { error } = await settle(redeem(fetch));
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', phase: 'redeem' });
  });

  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(
      (_url: unknown, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    ) as unknown as typeof globalThis.fetch;
    const reason = new Error('cancelled');
    const outcome = redeem(fetch, controller.signal).catch((error: unknown) => error);
    controller.abort(reason);
    expect(await outcome).toBe(reason);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});
