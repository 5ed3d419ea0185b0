import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  type AthosServer,
  faultRequest,
  joinCall,
  mintToken,
  redeem,
  request,
  startServer,
  VoiceClient,
  waitUntil,
} from './helpers';

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => faultRequest(server, 'POST', '/reset'));
afterAll(() => server.close());

const fault = (path: string, body?: unknown) => faultRequest(server, 'POST', `/${path}`, body);
const voiceUrl = () => `ws://127.0.0.1:${server.port}/v1/voice`;

it('the fault controls do not exist unless enabled', async () => {
  const plain = await startServer({ faults: false });
  try {
    for (const [method, path] of [
      ['GET', '/__faults'],
      ['POST', '/__faults/drop'],
      ['POST', '/__faults/reset'],
    ] as const) {
      const response = await request(plain, method, path);
      expect(response.status).toBe(404);
      expect(response.json.error.code).toBe('INVALID_REQUEST');
    }
  } finally {
    await plain.close();
  }
});

it('obeys only requests that carry the fault secret, and no browser on another origin', async () => {
  const { client, session } = await joinCall(server);
  const origin = { Origin: 'http://evil.localhost:8080' };
  // What a page on another origin can send without a preflight: a bodiless or text/plain POST.
  for (const [path, options] of [
    ['/__faults/end-call', { headers: origin }],
    ['/__faults/drop', { headers: { ...origin, 'Content-Type': 'text/plain' }, rawBody: '{}' }],
    ['/__faults/end-call', { body: { callId: session.callId }, headers: { 'X-Athos-Fault-Secret': 'afs_guess' } }],
  ] as const) {
    const refused = await request(server, 'POST', path, options);
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe('INVALID_API_KEY');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  }
  const preflight = await request(server, 'OPTIONS', '/__faults/end-call', {
    headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-athos-fault-secret' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect((await request(server, 'GET', '/__faults')).status).toBe(401);
  expect((await request(server, 'GET', `/__faults/calls/${session.callId}`)).status).toBe(401);
  expect((await faultRequest(server, 'GET', `/calls/${session.callId}`)).json.state).toBe('live');
  expect(client.closeInfo).toBeNull();
  client.ws.close();
});

it('GET /__faults shows the state', async () => {
  const initial = await faultRequest(server, 'GET', '');
  expect(initial.json).toEqual({
    enabled: true,
    stalledUntil: null,
    refusingReconnectsUntil: null,
    tenant: 'active',
    nextRedemption: null,
  });
  await fault('tenant', { state: 'inactive' });
  await fault('stall', { seconds: 0.2 });
  const changed = await faultRequest(server, 'GET', '');
  expect(changed.json).toMatchObject({ tenant: 'inactive', stalledUntil: expect.any(String) });
  await fault('reset');
  expect((await faultRequest(server, 'GET', '')).json).toEqual(initial.json);
});

it('rejects malformed fault requests', async () => {
  for (const [path, body] of [
    ['stall', {}],
    ['stall', { seconds: -1 }],
    ['refuse-reconnects', { seconds: 'ten' }],
    ['tenant', { state: 'asleep' }],
    ['next-redemption', { status: 200 }],
    ['next-redemption', { code: 'lower_case' }],
    ['next-redemption', { body: 'xml' }],
    ['next-redemption', { times: 0 }],
  ] as const) {
    const response = await fault(path, body);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('INVALID_REQUEST');
  }
});

describe('next-redemption', () => {
  it('fails with 429 and Retry-After, leaving the token unspent', async () => {
    await fault('next-redemption', { status: 429, retryAfterSec: 7 });
    const token = await mintToken(server);
    const limited = await redeem(server, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      requestId: limited.headers.get('x-athos-request-id'),
    });
    expect((await redeem(server, token)).status).toBe(200);
  });

  it('fails with any code at its status, as many times as asked', async () => {
    await fault('next-redemption', { code: 'TENANT_QUOTA_EXCEEDED', times: 2 });
    const token = await mintToken(server);
    for (let i = 0; i < 2; i++) {
      const response = await redeem(server, token);
      expect(response.status).toBe(403);
      expect(response.json.error.code).toBe('TENANT_QUOTA_EXCEEDED');
    }
    expect((await redeem(server, token)).status).toBe(200);
  });

  it('defaults Retry-After on a 429, and serves 503 SERVICE_UNAVAILABLE', async () => {
    await fault('next-redemption', { status: 429 });
    expect((await redeem(server, await mintToken(server))).headers.get('retry-after')).toBe('1');
    await fault('next-redemption', { code: 'SERVICE_UNAVAILABLE', retryAfterSec: 3 });
    const unavailable = await redeem(server, await mintToken(server));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('3');
  });

  it('serves malformed bodies: HTML, broken JSON, nothing', async () => {
    await fault('next-redemption', { status: 500, body: 'html' });
    const html = await redeem(server, await mintToken(server));
    expect(html.status).toBe(500);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.json).toBeNull();
    expect(html.headers.get('access-control-allow-origin')).toBe('*');

    await fault('next-redemption', { status: 502, body: 'invalid-json' });
    const broken = await redeem(server, await mintToken(server));
    expect(broken.status).toBe(502);
    expect(broken.json).toBeNull();

    await fault('next-redemption', { body: 'empty' });
    const empty = await redeem(server, await mintToken(server));
    expect(empty.status).toBe(500);
    expect(empty.text).toBe('');
  });

  it('can only delay a redemption', async () => {
    await fault('next-redemption', { delayMs: 300 });
    const started = Date.now();
    expect((await redeem(server, await mintToken(server))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('tenant', () => {
  it('inactive or over quota: redemptions and new sockets are refused', async () => {
    const token = await mintToken(server);
    const redemption = await redeem(server, await mintToken(server));
    for (const [state, code, close] of [
      ['inactive', 'TENANT_INACTIVE', 4403],
      ['over_quota', 'TENANT_QUOTA_EXCEEDED', 4429],
    ] as const) {
      await fault('tenant', { state });
      const refused = await redeem(server, token);
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe(code);
      const client = await VoiceClient.open(voiceUrl());
      client.send({ type: 'auth', ticket: redemption.json.connectionTicket, protocol: 1 });
      expect((await client.closed).code).toBe(close);
    }
    await fault('tenant', { state: 'active' });
    expect((await redeem(server, token)).status).toBe(200);
    const client = await VoiceClient.open(voiceUrl());
    client.send({ type: 'auth', ticket: redemption.json.connectionTicket, protocol: 1 });
    await client.message('live');
    client.ws.close();
  });
});

describe('voice faults', () => {
  it('drop terminates every socket (1006) and the call can resume', async () => {
    const { client, live } = await joinCall(server);
    const dropped = await fault('drop');
    expect(dropped.json.dropped).toBeGreaterThanOrEqual(1);
    expect((await client.closed).code).toBe(1006);
    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: client.lastSeq() });
    await again.message('resumed');
    again.ws.close();
  });

  it('drop with a closeCode closes every socket with that code; other codes are refused', async () => {
    const { client } = await joinCall(server);
    const dropped = await fault('drop', { closeCode: 1011 });
    expect(dropped.json.dropped).toBeGreaterThanOrEqual(1);
    expect((await client.closed).code).toBe(1011);
    for (const closeCode of [1006, 999, 5000, '4000']) {
      const refused = await fault('drop', { closeCode });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('stall: nothing is sent or read for N seconds, then the call carries on', async () => {
    const { client } = await joinCall(server);
    await waitUntil(() => client.frames.length >= 5, 3000, 'the greeting');
    await fault('stall', { seconds: 1 });
    const stalledAt = Date.now();
    const frames = client.frames.length;
    const messages = client.messages.length;
    client.send({ type: 'ping', id: 99 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(client.frames.length).toBe(frames);
    expect(client.messages.length).toBe(messages);
    await waitUntil(() => client.frames.length > frames, 3000, 'audio after the stall');
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(950);
    expect(client.messages.some((m) => m.type === 'pong' && m.id === 99)).toBe(false);
    const seqs = client.frames.map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(client.closeInfo).toBeNull();
    client.ws.close();
  });

  it('refuse-reconnects: a resume is closed with 4503 until it lapses or is reset', async () => {
    const { client, live } = await joinCall(server);
    await fault('refuse-reconnects', { seconds: 30 });
    client.ws.terminate();
    const refused = await VoiceClient.open(voiceUrl());
    refused.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0 });
    expect((await refused.closed).code).toBe(4503);
    await fault('reset');
    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0 });
    await again.message('resumed');
    again.ws.close();
  });

  it('end-call ends a live call with ended_by_athos', async () => {
    const { client, session } = await joinCall(server);
    const response = await fault('end-call', { callId: session.callId });
    expect(response.json).toEqual({ ended: [session.callId] });
    expect(await client.message('ended')).toMatchObject({ reason: 'ended_by_athos', callId: session.callId });
    expect((await client.closed).code).toBe(1000);
    const call = await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey });
    expect(call.json.endedReason).toBe('ended_by_athos');

    const unknown = await fault('end-call', { callId: session.callId });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('CALL_NOT_FOUND');
  });

  it('end-call without an id ends every live call', async () => {
    const calls = await Promise.all([joinCall(server), joinCall(server)]);
    const response = await fault('end-call');
    for (const { client, session } of calls) {
      expect(response.json.ended).toContain(session.callId);
      expect((await client.closed).code).toBe(1000);
    }
  });

  it('call stats show what reached the server', async () => {
    const { client, session } = await joinCall(server);
    const samples = Buffer.alloc(640);
    samples.writeInt16LE(-32768, 0);
    client.sendAudio(samples);
    await waitUntil(async () => (await faultRequest(server, 'GET', `/calls/${session.callId}`)).json.uplinkFrames === 1);
    await waitUntil(() => client.frames.length >= 3, 3000, 'downlink');
    const stats = (await faultRequest(server, 'GET', `/calls/${session.callId}`)).json;
    expect(stats).toMatchObject({
      callId: session.callId,
      state: 'live',
      uplinkFrames: 1,
      uplinkBytes: 640,
      uplinkPeak: 32767,
      uplinkVoicedFrames: 1,
      resumes: 0,
      userTurns: 0,
      personaTurns: 0,
      endedReason: null,
    });
    expect(stats.downlinkFrames).toBeGreaterThanOrEqual(3);
    expect(stats.lastSeqSent).toBeGreaterThanOrEqual(3);
    expect((await faultRequest(server, 'GET', '/calls/athos_call_nope')).status).toBe(404);
    client.ws.close();
  });

  it('GET /__faults/calls lists every call with its state, oldest first', async () => {
    const first = await joinCall(server);
    const second = await redeem(server, await mintToken(server));
    const { calls } = (await faultRequest(server, 'GET', '/calls')).json as { calls: { callId: string; state: string }[] };
    expect(calls.slice(-2)).toEqual([
      { callId: first.session.callId, state: 'live' },
      { callId: second.json.callId, state: 'created' },
    ]);
    first.client.ws.close();
  });
});
