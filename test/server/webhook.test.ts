import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AthosServer, joinCall, startServer, waitUntil } from './helpers';

const SECRET = 'whsec_test_webhook';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let deliveries: Delivery[] = [];
/** Statuses the receiver answers with, in order; 200 once exhausted. */
let statuses: number[] = [];
let athos: AthosServer;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  athos = await startServer({ webhookUrl: `http://127.0.0.1:${port}/hooks/athos`, webhookSecret: SECRET });
});
beforeEach(() => {
  deliveries = [];
  statuses = [];
});
afterAll(async () => {
  await athos.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function finishCall() {
  const { client, session } = await joinCall(athos);
  client.send({ type: 'bye' });
  await client.closed;
  return session.callId as string;
}

describe('call.scored webhook', () => {
  it('is signed with HMAC-SHA256 over "<t>.<raw body>"', async () => {
    const callId = await finishCall();
    const [delivery] = await waitUntil(() => deliveries.length === 1 && deliveries, 3000, 'the webhook');
    const signature = String(delivery!.headers['x-athos-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    expect(match).not.toBeNull();
    const [, t, v1] = match!;
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(300);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${delivery!.body}`).digest('hex'));
    expect(v1).not.toBe(createHmac('sha256', 'whsec_other').update(`${t}.${delivery!.body}`).digest('hex'));
    expect(delivery!.headers['x-athos-webhook-id']).toMatch(/^wh_/);
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(delivery!.body)).toEqual({
      event: 'call.scored',
      success: true,
      callId,
      source: 'sdk',
      externalUserId: 'rep-1',
      externalAgencyId: null,
      occurredAt: expect.any(String),
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('is retried once, with the same webhook id', async () => {
    statuses = [500];
    await finishCall();
    await waitUntil(() => deliveries.length === 2, 4000, 'the retry');
    expect(deliveries[1]!.headers['x-athos-webhook-id']).toBe(deliveries[0]!.headers['x-athos-webhook-id']);
    expect(deliveries[1]!.body).toBe(deliveries[0]!.body);
  });

  it('gives up after the retry', async () => {
    statuses = [500, 503, 500];
    await finishCall();
    await waitUntil(() => deliveries.length === 2, 4000, 'the retry');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(deliveries).toHaveLength(2);
  });
});

describe('webhook URL', () => {
  it('refuses plain http to anything but this machine', async () => {
    await expect(startServer({ webhookUrl: 'http://example.com/hook' })).rejects.toThrow(/https/);
    await expect(startServer({ webhookUrl: 'not a url' })).rejects.toThrow(/valid URL/);
  });
});
