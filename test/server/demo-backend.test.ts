// The demo's backend passes fault controls on to the server only for the demo page itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoApi } from '../../demo/backend.js';
import { type AthosServer, faultRequest, joinCall, startServer } from './helpers';

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const OWN_ORIGIN = 'http://localhost:5173';

it('passes fault controls on with the secret, from the demo page only', async () => {
  const demoApi = createDemoApi({ athosUrl: server.url, apiKey: server.apiKey, faultSecret: server.faultSecret });
  const { client, session } = await joinCall(server);
  const endCall = (origin: string | undefined) =>
    demoApi({
      method: 'POST',
      path: '/faults/end-call',
      body: JSON.stringify({ callId: session.callId }),
      origin,
      ownOrigin: OWN_ORIGIN,
    });

  for (const origin of [undefined, 'http://localhost:8080', 'null']) expect((await endCall(origin)).status).toBe(403);
  expect((await faultRequest(server, 'GET', `/calls/${session.callId}`)).json.state).toBe('live');

  expect(await endCall(OWN_ORIGIN)).toEqual({ status: 200, body: { ended: [session.callId] } });
  expect((await client.closed).code).toBe(1000);
  expect(await demoApi({ method: 'GET', path: '/faults', ownOrigin: OWN_ORIGIN })).toMatchObject({
    status: 200,
    body: { tenant: 'active' },
  });
});

it('has no fault routes when the server has no fault controls', async () => {
  const demoApi = createDemoApi({ athosUrl: server.url, apiKey: server.apiKey, faultSecret: null });
  expect(await demoApi({ method: 'GET', path: '/config', ownOrigin: OWN_ORIGIN })).toMatchObject({ body: { faults: false } });
  expect((await demoApi({ method: 'POST', path: '/faults/drop', origin: OWN_ORIGIN, ownOrigin: OWN_ORIGIN })).status).toBe(404);
});
