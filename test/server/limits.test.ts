// What the server does with clients that do not play by the rules: each test fails on a server
// without the limit it checks.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND_QUEUE_LIMIT_BYTES, UPLINK_BURST_MS } from '../../server/gateway/protocol.js';
import { HEADERS_TIMEOUT_MS, MAX_UNAUTHENTICATED_CONNECTIONS, TIMEOUT_CHECK_MS } from '../../server/http/connections.js';
import { API, type AthosServer, faultRequest, joinCall, mintToken, request, startServer, waitUntil } from './helpers';

const logLines: string[] = [];
/** Called with each server log line as it is written. */
let onLog = (_line: string) => {};
let server: AthosServer;
beforeAll(async () => {
  server = await startServer({
    log: (line) => {
      logLines.push(line);
      onLog(line);
    },
  });
});
afterAll(() => server.close());

const stats = async (callId: string) => (await faultRequest(server, 'GET', `/calls/${callId}`)).json;
const yieldToServer = () => new Promise((resolve) => setImmediate(resolve));

describe('one voice socket', () => {
  it('bounds what is queued for a client that sends but never reads, then closes it with 4413', async () => {
    const { client, session } = await joinCall(server);
    const socket = (client.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    let closing = false;
    onLog = (line) => {
      if (!line.includes('closed: send queue over')) return;
      closing = true;
      // Read again, so that the close frame queued behind everything else arrives.
      socket.resume();
    };
    // Each 1-byte bad frame makes the gateway queue a ~110-byte warning for this client.
    const startedAt = Date.now();
    for (let batch = 0; batch < 4000 && !closing && Date.now() - startedAt < 20_000; batch += 1) {
      for (let i = 0; i < 500; i += 1) client.ws.send('{');
      await yieldToServer();
    }
    expect(closing).toBe(true);
    expect((await client.closed).code).toBe(4413);
    // Past the limit only mandatory messages and the downlink tick's few frames may be added.
    const { sendQueuePeak } = await stats(session.callId);
    expect(sendQueuePeak).toBeGreaterThan(SEND_QUEUE_LIMIT_BYTES);
    expect(sendQueuePeak).toBeLessThan(SEND_QUEUE_LIMIT_BYTES + 16 * 1024);
  }, 30_000);

  it('drops uplink audio far ahead of real time with a warning, then closes with 4413', async () => {
    const { client, session } = await joinCall(server);
    const startedAt = Date.now();
    // 200 frames of 100 ms: 20 s of audio sent at once.
    for (let i = 0; i < 200 && client.closeInfo === null; i += 1) client.sendAudio(Buffer.alloc(3200));
    expect((await client.closed).code).toBe(4413);
    const elapsedMs = Date.now() - startedAt;
    expect(client.messages.filter((m) => m.type === 'warning').map((m) => m.code)).toContain('AUDIO_TOO_FAST');
    const { uplinkFrames } = await stats(session.callId);
    expect(uplinkFrames * 100).toBeLessThanOrEqual(UPLINK_BURST_MS + elapsedMs + 100);
  });
});

describe('what the server forgets', () => {
  let short: AthosServer;
  beforeAll(async () => {
    short = await startServer({ callRetentionSec: 1 });
  });
  afterAll(() => short.close());

  it('an ended call is served for ATHOS_CALL_RETENTION_SEC, then 404 like an unknown call', async () => {
    const { client, session } = await joinCall(short);
    client.send({ type: 'bye' });
    await client.closed;
    const get = () => request(short, 'GET', `${API}/calls/${session.callId}`, { auth: short.apiKey });
    expect((await get()).status).toBe(200);
    const gone = await waitUntil(async () => {
      const response = await get();
      return response.status === 404 && response;
    }, 3000);
    expect(gone.json.error.code).toBe('CALL_NOT_FOUND');
    const list = await request(short, 'GET', `${API}/calls?from=2020-01-01`, { auth: short.apiKey });
    expect(list.json.data.map((call: { callId: string }) => call.callId)).not.toContain(session.callId);
  });
});

describe('minting', () => {
  it('is rate limited per API key: 429 SERVICE_UNAVAILABLE with Retry-After, then minting again', async () => {
    const limited = await startServer({ mintRatePerSec: 1 });
    try {
      // The bucket holds ten seconds' worth.
      for (let i = 0; i < 10; i += 1) await mintToken(limited);
      const refused = await request(limited, 'POST', `${API}/session`, { auth: limited.apiKey, body: { externalUserId: 'rep' } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.json.error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        requestId: refused.headers.get('x-athos-request-id'),
      });
      await waitUntil(
        async () =>
          (await request(limited, 'POST', `${API}/session`, { auth: limited.apiKey, body: { externalUserId: 'rep' } })).status ===
          200,
        3000,
        'a mint after Retry-After',
      );
    } finally {
      await limited.close();
    }
  });
});

type RawConnection = Socket & { closedAt?: number };

/** A raw TCP connection to the server that has sent `text`. */
async function rawConnection(target: AthosServer, text: string): Promise<RawConnection> {
  const socket: RawConnection = connect(target.port, '127.0.0.1');
  socket.on('error', () => {});
  // Reads (and discards) what the server sends, so that its closing is seen.
  socket.resume();
  socket.on('close', () => {
    socket.closedAt = Date.now();
  });
  await once(socket, 'connect');
  socket.write(text);
  return socket;
}

describe('HTTP connections', () => {
  it('an aborted request is not an internal error, and no log line shows its query string', async () => {
    const from = logLines.length;
    const socket = await rawConnection(
      server,
      `POST ${API}/session?note=query-string-secret HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${server.apiKey}\r\nContent-Type: application/json\r\n` +
        'Content-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    // The server answers 100 Continue once the handler runs and waits for the body.
    await once(socket, 'data');
    socket.write('{"externalUserId":');
    socket.destroy();
    const done = await waitUntil(
      () => logLines.slice(from).find((line) => line.startsWith(`POST ${API}/session `)),
      5000,
      'the request to be logged',
    );
    expect(done).toMatch(/ aborted by the client req_/);
    expect(logLines.slice(from).join('\n')).not.toMatch(/internal error|query-string-secret/);
  });

  it('closes connections whose request is unfinished after the header timeout, and caps those not authenticated', async () => {
    const target = await startServer();
    try {
      const { client } = await joinCall(target);
      const openedAt = Date.now();
      const partial = 'GET /v1/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n';
      const sockets: RawConnection[] = [];
      for (let i = 0; i < MAX_UNAUTHENTICATED_CONNECTIONS + 20; i += 1) sockets.push(await rawConnection(target, partial));
      const open = () => sockets.filter((socket) => socket.closedAt === undefined).length;
      await waitUntil(() => open() <= MAX_UNAUTHENTICATED_CONNECTIONS, 2000, 'the oldest connections to be closed');
      await waitUntil(() => open() === 0, HEADERS_TIMEOUT_MS + 3 * TIMEOUT_CHECK_MS + 2000, 'every connection to time out');
      const lastClosedAt = Math.max(...sockets.map((socket) => socket.closedAt ?? 0));
      expect(lastClosedAt - openedAt).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      // The authenticated call was neither counted nor closed, and the server still answers.
      expect(client.closeInfo).toBeNull();
      client.send({ type: 'ping', id: 9 });
      await waitUntil(() => client.messages.find((m) => m.type === 'pong' && m.id === 9), 2000, 'pong 9');
      expect((await request(target, 'GET', `${API}/calls?from=2020-01-01`, { auth: target.apiKey })).status).toBe(200);
      client.ws.close();
    } finally {
      await target.close();
    }
  }, 20_000);
});
