import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiResponse, type AthosServer, joinCall, mintToken, redeem, request, startServer, waitUntil } from './helpers';

/** A call in a `GET /calls` page, as far as these tests read it. */
type ListedCall = { callId: string };

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function expectError(response: Awaited<ReturnType<typeof request>>, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.json.error.code).toBe(code);
  expect(response.json.error.message).toEqual(expect.any(String));
  expect(response.json.error.requestId).toMatch(/^req_/);
  expect(response.headers.get('x-athos-request-id')).toBe(response.json.error.requestId);
}

describe('POST /session', () => {
  it('mints an unguessable token with an expiry', async () => {
    const response = await request(server, 'POST', `${API}/session`, {
      auth: server.apiKey,
      body: { externalUserId: 'rep-1', externalAgencyId: 'agency-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-athos-request-id')).toMatch(/^req_/);
    expect(response.json.token).toMatch(/^ast_[A-Za-z0-9_-]{32,}$/);
    const ttl = Date.parse(response.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    expect(await mintToken(server)).not.toBe(response.json.token);
  });

  it('requires the API key', async () => {
    expectError(await request(server, 'POST', `${API}/session`, { body: { externalUserId: 'x' } }), 401, 'INVALID_API_KEY');
    expectError(
      await request(server, 'POST', `${API}/session`, { auth: 'ath_wrong', body: { externalUserId: 'x' } }),
      401,
      'INVALID_API_KEY',
    );
    const token = await mintToken(server);
    expectError(
      await request(server, 'POST', `${API}/session`, { auth: token, body: { externalUserId: 'x' } }),
      401,
      'INVALID_API_KEY',
    );
  });

  it('requires a non-blank externalUserId', async () => {
    for (const body of [
      {},
      { externalUserId: '' },
      { externalUserId: '   ' },
      { externalUserId: 7 },
      { externalUserId: 'a', externalAgencyId: 5 },
    ]) {
      expectError(await request(server, 'POST', `${API}/session`, { auth: server.apiKey, body }), 400, 'INVALID_REQUEST');
    }
  });

  it('rejects invalid JSON, a wrong content type, a non-object and an oversized body', async () => {
    const auth = server.apiKey;
    expectError(
      await request(server, 'POST', `${API}/session`, {
        auth,
        rawBody: '{"externalUserId":',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'INVALID_REQUEST',
    );
    expectError(
      await request(server, 'POST', `${API}/session`, {
        auth,
        rawBody: 'externalUserId=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      400,
      'INVALID_REQUEST',
    );
    expectError(await request(server, 'POST', `${API}/session`, { auth, body: ['externalUserId'] }), 400, 'INVALID_REQUEST');
    expectError(
      await request(server, 'POST', `${API}/session`, { auth, body: { externalUserId: 'x', pad: 'y'.repeat(17 * 1024) } }),
      400,
      'INVALID_REQUEST',
    );
  });
});

describe('routing', () => {
  it('answers an unknown path with 404 and a wrong method with 405, both in the envelope', async () => {
    expectError(await request(server, 'GET', `${API}/nope`), 404, 'INVALID_REQUEST');
    const wrongMethod = await request(server, 'GET', `${API}/session`);
    expectError(wrongMethod, 405, 'INVALID_REQUEST');
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('GET /health', () => {
  it('answers without credentials, for any origin, with the voice gateway new calls use', async () => {
    const response = await request(server, 'GET', `${API}/health`, { headers: { Origin: 'https://app.example.com' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok', connectionUrl: `${server.url.replace('http:', 'ws:')}/v1/voice` });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('POST /roleplay/session', () => {
  it('redeems a token for a call, with CORS for any origin', async () => {
    const response = await redeemToken(await mintToken(server), undefined, { Origin: 'https://app.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Athos-Request-Id');
    expect(response.json).toEqual({
      connectionUrl: `ws://127.0.0.1:${server.port}/v1/voice`,
      connectionTicket: expect.stringMatching(/^ctk_/),
      sessionId: expect.stringMatching(/^ext_/),
      callId: expect.stringMatching(/^athos_call_/),
      persona: {
        name: expect.any(String),
        details: {
          gender: expect.stringMatching(/^(female|male)$/),
          dateOfBirth: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          address: {
            city: expect.any(String),
            state: expect.stringMatching(/^[A-Z]{2}$/),
            zip: expect.stringMatching(/^\d{5}$/),
          },
          planCategory: 'Medicare Advantage',
          currentPlan: expect.any(String),
        },
      },
    });
  });

  function redeemToken(token: string, body: unknown = { drillKey: 'ma-full-sale' }, headers: Record<string, string> = {}) {
    return request(server, 'POST', `${API}/roleplay/session`, { auth: token, body, headers });
  }

  it('answers the CORS preflight', async () => {
    const response = await fetch(`${server.url}${API}/roleplay/session`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Idempotency-Key');
    expect(response.headers.get('x-athos-request-id')).toMatch(/^req_/);
  });

  it('does not allow browsers on the backend endpoints', async () => {
    const response = await fetch(`${server.url}${API}/session`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('details are null outside Medicare, and filters.state picks the persona', async () => {
    const finalExpense = await redeemToken(await mintToken(server), { drillKey: 'fe-closing', difficulty: 'Elite' });
    expect(finalExpense.status).toBe(200);
    expect(finalExpense.json.persona).toEqual({ name: expect.any(String), details: null });
    for (const state of ['CA', 'fl', 'TX']) {
      const response = await redeemToken(await mintToken(server), { drillKey: 'ms-full-sale', filters: { state } });
      expect(response.json.persona.details.address.state).toBe(state.toUpperCase());
      expect(response.json.persona.details.planCategory).toBe('Medicare Supplement');
    }
    const unknownState = await redeemToken(await mintToken(server), {
      drillKey: 'ma-t65',
      filters: { state: 'ZZ', category: 'anything' },
    });
    expect(unknownState.status).toBe(200);
    const age = (Date.now() - Date.parse(unknownState.json.persona.details.dateOfBirth)) / (365.25 * 86_400_000);
    expect(age).toBeGreaterThan(64.5);
    expect(age).toBeLessThan(65);
  });

  it('INVALID_TOKEN for a missing, unknown or API-key credential', async () => {
    expectError(
      await request(server, 'POST', `${API}/roleplay/session`, { body: { drillKey: 'ma-full-sale' } }),
      401,
      'INVALID_TOKEN',
    );
    expectError(await redeemToken('ast_not_a_real_token'), 401, 'INVALID_TOKEN');
    expectError(await redeemToken(server.apiKey), 401, 'INVALID_TOKEN');
  });

  it('validates the body and leaves the token unspent', async () => {
    const token = await mintToken(server);
    expectError(await redeemToken(token, {}), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: '  ' }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 42 }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 'ma-full-sale', difficulty: 'Hard' }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 'ma-full-sale', difficulty: 'beginner' }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 'ma-full-sale', filters: 'CA' }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 'ma-full-sale', filters: ['CA'] }), 400, 'INVALID_REQUEST');
    expectError(await redeemToken(token, { drillKey: 'ma-space-travel' }), 400, 'DRILL_NOT_FOUND');
    expectError(
      await request(server, 'POST', `${API}/roleplay/session`, {
        auth: token,
        rawBody: '{',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'INVALID_REQUEST',
    );
    expectError(await redeemToken(token, { drillKey: 'ma-full-sale', pad: 'x'.repeat(20_000) }), 400, 'INVALID_REQUEST');
    expect((await redeemToken(token, { drillKey: 'ma-full-sale', difficulty: 'Beginner' })).status).toBe(200);
  });

  it('is single use: a second redemption is TOKEN_ALREADY_USED', async () => {
    const token = await mintToken(server);
    expect((await redeemToken(token)).status).toBe(200);
    expectError(await redeemToken(token), 401, 'TOKEN_ALREADY_USED');
  });

  it('spends a token once under concurrent redemptions', async () => {
    for (let round = 0; round < 5; round++) {
      const token = await mintToken(server);
      const results = await Promise.all([redeemToken(token), redeemToken(token)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      expect(results.find((r) => r.status === 401)?.json.error.code).toBe('TOKEN_ALREADY_USED');
    }
  });

  it('replays a redemption with the same Idempotency-Key', async () => {
    const token = await mintToken(server);
    const first = await redeemToken(token, { drillKey: 'hi-upsell' }, { 'Idempotency-Key': 'attempt-1' });
    const again = await redeemToken(token, { drillKey: 'hi-upsell' }, { 'Idempotency-Key': 'attempt-1' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await redeemToken(token, { drillKey: 'hi-upsell' }, { 'Idempotency-Key': 'attempt-2' }),
      401,
      'TOKEN_ALREADY_USED',
    );
    expectError(await redeemToken(token, { drillKey: 'hi-upsell' }), 401, 'TOKEN_ALREADY_USED');
    expectError(await redeemToken(token, { drillKey: 'ci-upsell' }, { 'Idempotency-Key': 'attempt-1' }), 400, 'INVALID_REQUEST');
    expectError(
      await redeemToken(await mintToken(server), { drillKey: 'hi-upsell' }, { 'Idempotency-Key': 'bad key' }),
      400,
      'INVALID_REQUEST',
    );
  });

  it('concurrent redemptions with one Idempotency-Key give the same session', async () => {
    const token = await mintToken(server);
    const results = await Promise.all([0, 1].map(() => redeemToken(token, undefined, { 'Idempotency-Key': 'same' })));
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0]?.json.callId).toBe(results[1]?.json.callId);
  });
});

describe('token expiry', () => {
  let shortLived: AthosServer;
  beforeAll(async () => {
    shortLived = await startServer({ tokenTtlSec: 1 });
  });
  afterAll(() => shortLived.close());

  it('TOKEN_EXPIRED after the TTL, and an expired token stays unspent', async () => {
    const minted = await request(shortLived, 'POST', `${API}/session`, {
      auth: shortLived.apiKey,
      body: { externalUserId: 'rep' },
    });
    const expiresAt = Date.parse(minted.json.expiresAt);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(1000);
    await waitUntil(() => Date.now() >= expiresAt, 3000, 'the expiry');
    expectError(await redeem(shortLived, minted.json.token), 401, 'TOKEN_EXPIRED');
    expectError(await redeem(shortLived, minted.json.token), 401, 'TOKEN_EXPIRED');
  });
});

describe('GET /calls', () => {
  const since = new Date(Date.now() - 60_000).toISOString();
  const calls: string[] = [];

  beforeAll(async () => {
    for (const [user, agency] of [
      ['alice', 'north'],
      ['bob', 'north'],
      ['alice', 'south'],
    ] as const) {
      const { client, session } = await joinCall(server, { drillKey: 'fe-full-sale' }, await mintToken(server, user, agency));
      client.send({ type: 'bye' });
      await client.closed;
      calls.push(session.callId);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct start times
    }
  });

  it('requires the API key, not a session token', async () => {
    expectError(await request(server, 'GET', `${API}/calls?from=${since}`), 401, 'INVALID_API_KEY');
    expectError(
      await request(server, 'GET', `${API}/calls?from=${since}`, { auth: await mintToken(server) }),
      401,
      'INVALID_API_KEY',
    );
    expectError(
      await request(server, 'GET', `${API}/calls/${calls[0]}`, { auth: await mintToken(server) }),
      401,
      'INVALID_API_KEY',
    );
  });

  it('validates the query', async () => {
    const auth = server.apiKey;
    for (const query of [
      '',
      'from=yesterday',
      `from=${since}&to=soon`,
      `from=${since}&limit=0`,
      `from=${since}&limit=101`,
      `from=${since}&limit=abc`,
      `from=${since}&cursor=%%%`,
      `from=${since}&cursor=bm9wZQ`,
    ]) {
      expectError(await request(server, 'GET', `${API}/calls?${query}`, { auth }), 400, 'INVALID_REQUEST');
    }
  });

  it('lists scored calls newest first, filtered and paginated', async () => {
    const auth = server.apiKey;
    const all = await request(server, 'GET', `${API}/calls?from=${since}&limit=100`, { auth });
    expect(all.status).toBe(200);
    const ours = all.json.data.filter((c: ListedCall) => calls.includes(c.callId)).map((c: ListedCall) => c.callId);
    expect(ours).toEqual([...calls].reverse());

    const alice = await request(server, 'GET', `${API}/calls?from=${since}&externalUserId=alice`, { auth });
    expect(alice.json.data.map((c: ListedCall) => c.callId)).toEqual([calls[2], calls[0]]);
    const north = await request(server, 'GET', `${API}/calls?from=${since}&externalUserId=alice&externalAgencyId=north`, {
      auth,
    });
    expect(north.json.data.map((c: ListedCall) => c.callId)).toEqual([calls[0]]);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await request(
        server,
        'GET',
        `${API}/calls?from=${since}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        {
          auth,
        },
      );
      expect(page.json.data.length).toBeLessThanOrEqual(1);
      pages.push(...page.json.data.map((c: ListedCall) => c.callId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.json.data.map((c: ListedCall) => c.callId));

    const future = await request(server, 'GET', `${API}/calls?from=${new Date(Date.now() + 60_000).toISOString()}`, { auth });
    expect(future.json).toEqual({ data: [], nextCursor: null });
    const past = await request(server, 'GET', `${API}/calls?from=2020-01-01&to=2020-12-31`, { auth });
    expect(past.json.data).toEqual([]);
  });

  it('returns one call with transcript and a local score', async () => {
    const response = await request(server, 'GET', `${API}/calls/${calls[1]}`, { auth: server.apiKey });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      callId: calls[1],
      sessionId: expect.stringMatching(/^ext_/),
      externalUserId: 'bob',
      externalAgencyId: 'north',
      drillKey: 'fe-full-sale',
      status: 'scored',
      endedReason: 'client',
      durationSec: expect.any(Number),
      transcript: expect.any(Array),
      score: { overallScore: expect.any(Number), summary: expect.any(String), feedback: expect.any(String), local: true },
    });
    expect(Date.parse(response.json.endedAt)).toBeGreaterThanOrEqual(Date.parse(response.json.startedAt));
  });

  it('CALL_NOT_FOUND for an unknown call and for one not scored yet', async () => {
    expectError(await request(server, 'GET', `${API}/calls/athos_call_nope`, { auth: server.apiKey }), 404, 'CALL_NOT_FOUND');
    const pending = await redeem(server, await mintToken(server));
    expectError(
      await request(server, 'GET', `${API}/calls/${pending.json.callId}`, { auth: server.apiKey }),
      404,
      'CALL_NOT_FOUND',
    );
  });

  it('shows a call only once it is scored', async () => {
    const { client, session } = await joinCall(server);
    expectError(await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey }), 404, 'CALL_NOT_FOUND');
    client.send({ type: 'bye' });
    await client.closed;
    expect((await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey })).status).toBe(200);
  });
});
