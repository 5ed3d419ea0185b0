import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../src/contract/voice.js';
import { type AthosServer, faultRequest, joinCall, mintToken, redeem, startServer, VoiceClient } from './helpers';

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const voiceUrl = () => `ws://127.0.0.1:${server.port}/v1/voice`;
const stats = async (callId: string) => (await faultRequest(server, 'GET', `/calls/${callId}`)).json;

/** Redeems a fresh ticket and sends `auth` with `fields`; resolves with the first message or the close. */
async function authWith(fields: Record<string, unknown>) {
  const redemption = await redeem(server, await mintToken(server));
  const client = await VoiceClient.open(voiceUrl());
  client.send({ type: 'auth', ticket: redemption.json.connectionTicket, ...fields });
  const outcome = await Promise.race([client.message('live').then((live) => ({ live })), client.closed]);
  return { client, outcome, ticket: redemption.json.connectionTicket as string };
}

describe('codec negotiation in auth', () => {
  it('accepts the protocol version the SDK sends', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toContain(PROTOCOL_VERSION);
  });

  it.each([
    { case: 'protocol 1, no offer', auth: { protocol: 1 }, codec: 'pcm16' },
    { case: 'protocol 2, no offer', auth: { protocol: 2 }, codec: 'pcm16' },
    { case: 'offer pcm16', auth: { protocol: 2, codecs: ['pcm16'] }, codec: 'pcm16' },
    { case: 'offer opus, pcm16', auth: { protocol: 2, codecs: ['opus', 'pcm16'] }, codec: 'opus' },
    { case: 'offer pcm16, opus (the client decides)', auth: { protocol: 2, codecs: ['pcm16', 'opus'] }, codec: 'pcm16' },
    { case: 'offer opus', auth: { protocol: 2, codecs: ['opus'] }, codec: 'opus' },
    { case: 'unknown names skipped', auth: { protocol: 2, codecs: ['speex', 'opus', 'pcm16'] }, codec: 'opus' },
    { case: 'protocol 1 with an offer', auth: { protocol: 1, codecs: ['opus'] }, codec: 'opus' },
  ])('$case → $codec', async ({ auth, codec }) => {
    const { client, live, session } = await joinCall(server, undefined, undefined, auth);
    expect(live.audio).toEqual({ codec, inputSampleRate: 16000, outputSampleRate: 16000, frameMs: 20 });
    expect((await stats(session.callId)).codec).toBe(codec);
    client.ws.close();
  });

  it.each([
    { case: 'offer speex: no codec in common', codecs: ['speex'] },
    { case: 'an empty offer', codecs: [] },
    { case: 'a string instead of an array', codecs: 'opus' },
    { case: 'a name that is not a string', codecs: ['pcm16', 7] },
    { case: 'null', codecs: null },
    { case: 'an object', codecs: { opus: true } },
  ])('closes 4400 for $case, and the ticket stays unspent', async ({ codecs }) => {
    const { client, outcome, ticket } = await authWith({ protocol: 2, codecs });
    expect(outcome).toMatchObject({ code: 4400 });
    expect(client.closeInfo?.reason).toMatch(/codec/);
    const retry = await VoiceClient.open(voiceUrl());
    retry.send({ type: 'auth', ticket, protocol: 2, codecs: ['pcm16'] });
    await retry.message('live');
    retry.ws.close();
  });

  it('closes 4400 for a protocol it does not speak', async () => {
    for (const protocol of [0, 3, '2', null]) {
      const { outcome } = await authWith({ protocol, codecs: ['pcm16'] });
      expect(outcome).toMatchObject({ code: 4400 });
    }
  });
});

describe('codec negotiation in resume', () => {
  /** A pcm16 call whose socket dropped. */
  async function droppedCall() {
    const { client, live } = await joinCall(server, undefined, undefined, { protocol: 2, codecs: ['pcm16'] });
    client.ws.terminate();
    await client.closed;
    return live;
  }

  async function resumeWith(resumeToken: string, fields: Record<string, unknown>) {
    const client = await VoiceClient.open(voiceUrl());
    client.send({ type: 'resume', resumeToken, lastSeq: 0, ...fields });
    return { client, outcome: await Promise.race([client.message('resumed'), client.closed]) };
  }

  it('resumes with an offer that holds the call codec, or none (version 1), keeping the codec', async () => {
    const live = await droppedCall();
    for (const fields of [{ codecs: ['opus', 'pcm16'] }, {}, { codecs: ['speex', 'pcm16'] }]) {
      const { client, outcome } = await resumeWith(live.resumeToken, fields);
      expect(outcome).toMatchObject({ type: 'resumed', audio: live.audio });
      client.ws.terminate();
      await client.closed;
    }
  });

  it("closes 4400 for an offer without the call's codec, or a malformed one; the call can still resume", async () => {
    const live = await droppedCall();
    for (const codecs of [['opus'], [], 'pcm16', [null]]) {
      const { outcome } = await resumeWith(live.resumeToken, { codecs });
      expect(outcome).toMatchObject({ code: 4400 });
    }
    const { client, outcome } = await resumeWith(live.resumeToken, { codecs: ['pcm16'] });
    expect(outcome).toMatchObject({ type: 'resumed' });
    client.ws.close();
  });

  it('checks a malformed offer before the resume token', async () => {
    const { outcome } = await resumeWith('art_unknown', { codecs: 'pcm16' });
    expect(outcome).toMatchObject({ code: 4400 });
    const { outcome: unknown } = await resumeWith('art_unknown', { codecs: ['pcm16'] });
    expect(unknown).toMatchObject({ code: 4003 });
  });
});
