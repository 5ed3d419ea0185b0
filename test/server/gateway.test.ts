import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_MS, MAX_LEAD_MS } from '../../server/gateway/protocol.js';
import type { Turn } from '../../server/store/calls.js';
import {
  API,
  type AthosServer,
  faultRequest,
  joinCall,
  mintToken,
  redeem,
  request,
  silence,
  startServer,
  tone,
  VoiceClient,
  waitUntil,
} from './helpers';

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const voiceUrl = () => `ws://127.0.0.1:${server.port}/v1/voice`;
const stats = async (target: AthosServer, callId: string) => (await faultRequest(target, 'GET', `/calls/${callId}`)).json;

/** Resolves once no downlink frame has arrived for `quietMs`. */
function downlinkQuiet(client: VoiceClient, quietMs = 200) {
  return waitUntil(
    () => client.frames.length > 0 && Date.now() - client.frames[client.frames.length - 1]!.at >= quietMs,
    10_000,
    'the persona to finish',
  );
}

describe('authentication', () => {
  it('goes live with a ticket', async () => {
    const { client, live, session } = await joinCall(server);
    expect(live).toEqual({
      type: 'live',
      callId: session.callId,
      sessionId: session.sessionId,
      resumeToken: expect.stringMatching(/^art_/),
      resumeWindowSec: 30,
      startedAt: expect.any(String),
      heartbeatMs: 1000,
      audio: { codec: 'pcm16', inputSampleRate: 16000, outputSampleRate: 16000, frameMs: 20 },
    });
    expect(Math.abs(Date.parse(live.startedAt) - Date.now())).toBeLessThan(2000);
    client.ws.close();
  });

  it('closes 4001 for an unknown or reused ticket, 4400 for another protocol', async () => {
    const unknown = await VoiceClient.open(voiceUrl());
    unknown.send({ type: 'auth', ticket: 'ctk_nope', protocol: 1 });
    expect((await unknown.closed).code).toBe(4001);

    const malformed = await VoiceClient.open(voiceUrl());
    malformed.send({ type: 'auth', ticket: 12, protocol: 1 });
    expect((await malformed.closed).code).toBe(4001);

    const redemption = await redeem(server, await mintToken(server));
    const wrongProtocol = await VoiceClient.open(voiceUrl());
    wrongProtocol.send({ type: 'auth', ticket: redemption.json.connectionTicket, protocol: 3 });
    expect((await wrongProtocol.closed).code).toBe(4400);

    const first = await VoiceClient.open(voiceUrl());
    first.send({ type: 'auth', ticket: redemption.json.connectionTicket, protocol: 1 });
    await first.message('live');
    const second = await VoiceClient.open(voiceUrl());
    second.send({ type: 'auth', ticket: redemption.json.connectionTicket, protocol: 1 });
    expect((await second.closed).code).toBe(4001);
    first.ws.close();
  });

  it('closes 4400 when the first message is not auth or resume', async () => {
    for (const first of [Buffer.alloc(640), 'not json', JSON.stringify({ type: 'ping', id: 1 }), JSON.stringify([1])]) {
      const client = await VoiceClient.open(voiceUrl());
      client.ws.send(first);
      expect((await client.closed).code).toBe(4400);
    }
  });

  it('closes 4408 when nothing arrives within 5 s', async () => {
    const client = await VoiceClient.open(voiceUrl());
    const opened = Date.now();
    expect((await client.closed).code).toBe(4408);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(4900);
  }, 10_000);

  it('refuses upgrades on other paths', async () => {
    await expect(VoiceClient.open(`ws://127.0.0.1:${server.port}/v1/other`)).rejects.toThrow(/404/);
  });
});

describe('a live call', () => {
  it('greets with paced, numbered downlink frames', async () => {
    const { client, live } = await joinCall(server);
    await waitUntil(() => client.frames.length >= 60, 5000, '60 frames');
    const frames = client.frames.slice(0, 60);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(frames.every((f) => f.bytes === 644)).toBe(true);
    // Greeting about 300 ms after live; then real time with at most MAX_LEAD_MS ahead.
    expect(frames[0]!.at - Date.parse(live.startedAt)).toBeGreaterThanOrEqual(250);
    expect(frames[59]!.at - frames[0]!.at).toBeGreaterThanOrEqual((60 - 1 - MAX_LEAD_MS / FRAME_MS) * FRAME_MS - 30);
    client.ws.close();
  });

  it('pings every second and answers pings', async () => {
    const { client } = await joinCall(server);
    const ping = await client.message('ping', 2500);
    expect(Number.isInteger(ping.id)).toBe(true);
    client.send({ type: 'ping', id: 77, ack: 0 });
    await waitUntil(() => client.messages.find((m) => m.type === 'pong' && m.id === 77), 2000, 'pong 77');
    client.ws.close();
  });

  it('warns about bad input and the call goes on', async () => {
    const { client } = await joinCall(server);
    const warnings = () => client.messages.filter((m) => m.type === 'warning').map((m) => m.code);
    const inputs: Array<[string | Buffer, string]> = [
      ['{"type":', 'BAD_MESSAGE'],
      ['[1,2]', 'BAD_MESSAGE'],
      ['{"type":7}', 'BAD_MESSAGE'],
      [JSON.stringify({ type: 'x', pad: 'y'.repeat(17 * 1024) }), 'BAD_MESSAGE'],
      [JSON.stringify({ type: 'ping', id: 'one' }), 'BAD_MESSAGE'],
      [JSON.stringify({ type: 'auth', ticket: 'again', protocol: 1 }), 'BAD_MESSAGE'],
      [JSON.stringify({ type: 'dance' }), 'UNKNOWN_TYPE'],
      [Buffer.alloc(641), 'BAD_AUDIO_FRAME'],
      [Buffer.alloc(0), 'BAD_AUDIO_FRAME'],
      [Buffer.alloc(3202), 'BAD_AUDIO_FRAME'],
    ];
    for (const [input, code] of inputs) {
      const before = warnings().length;
      if (typeof input === 'string') client.send(input);
      else client.ws.send(input, { binary: true });
      await waitUntil(() => warnings().length > before, 2000, `a ${code} warning`);
      expect(warnings().at(-1)).toBe(code);
    }
    client.sendAudio(Buffer.alloc(3200));
    client.sendAudio(Buffer.alloc(2));
    client.send({ type: 'ping', id: 5 });
    await waitUntil(() => client.messages.find((m) => m.type === 'pong' && m.id === 5), 2000, 'pong 5');
    expect(warnings()).toHaveLength(inputs.length);
    expect(client.closeInfo).toBeNull();
    client.ws.close();
  });

  it('ends on bye with ended and close 1000, and REST then shows the call', async () => {
    const { client, session } = await joinCall(server);
    client.send({ type: 'bye' });
    const ended = await client.message('ended');
    expect(ended).toEqual({ type: 'ended', reason: 'client', callId: session.callId, durationSec: 0 });
    expect((await client.closed).code).toBe(1000);
    const call = await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey });
    expect(call.json).toMatchObject({ status: 'scored', endedReason: 'client' });
  });

  it('answers after the rep stops speaking, and records the turns', async () => {
    const { client, session } = await joinCall(server, { drillKey: 'ma-full-sale', difficulty: 'Beginner' });
    await downlinkQuiet(client);
    const greetingFrames = client.frames.length;
    client.sendSpeech(Buffer.concat([tone(1000), silence(800)]));
    const spokeAt = Date.now();
    await waitUntil(() => client.frames.length > greetingFrames, 4000, 'the reply');
    expect(client.frames[greetingFrames]!.at - spokeAt).toBeGreaterThanOrEqual(350);
    const live = await stats(server, session.callId);
    expect(live).toMatchObject({ state: 'live', userTurns: 1, uplinkFrames: 90, uplinkBytes: 57_600, uplinkVoicedFrames: 50 });
    expect(live.uplinkPeak).toBeGreaterThan(7900);
    await downlinkQuiet(client);
    client.send({ type: 'bye' });
    await client.closed;
    const call = (await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey })).json;
    expect(call.transcript.map((t: Turn) => t.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(call.transcript[0].content).toMatch(/^(Hello|Hi|Harold|Walter)/);
    expect(call.transcript[1].content).toBe('(rep spoke 1.0 s)');
    expect(call.transcript[2].content).toBe('Sure, I have a few minutes. Go ahead.');
    for (const turn of call.transcript) expect(turn.endedAtMs).toBeGreaterThan(turn.startedAtMs);
    expect(call.score.overallScore).toBeGreaterThan(0);
  });

  it('stops talking when the rep talks over it for 300 ms, not for less', async () => {
    const { client, session } = await joinCall(server);
    await waitUntil(() => client.frames.length >= 10, 3000, 'the greeting');
    client.sendSpeech(Buffer.concat([tone(200), silence(800)]));
    await waitUntil(async () => (await stats(server, session.callId)).userTurns === 1, 3000, 'the short turn');
    expect(client.messages.some((m) => m.type === 'clear')).toBe(false);

    client.sendSpeech(tone(400));
    const clear = await client.message('clear', 3000);
    expect(clear.seq).toBeGreaterThanOrEqual(client.lastSeq());
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterClear = client.frames.length;
    client.sendSpeech(silence(800));
    await waitUntil(() => client.frames.length > afterClear, 3000, 'the reply after barge-in');
    expect(client.frames[afterClear]!.seq).toBe(clear.seq + 1);
    client.send({ type: 'bye' });
    await client.closed;
    const call = (await request(server, 'GET', `${API}/calls/${session.callId}`, { auth: server.apiKey })).json;
    const persona = call.transcript.filter((t: Turn) => t.role === 'assistant');
    expect(persona[0]).toMatchObject({ content: expect.any(String), interrupted: true });
    expect(persona[1].interrupted).toBeUndefined();
  });
});

describe('resume', () => {
  it('resends unacknowledged frames after lastSeq and pauses the persona while detached', async () => {
    const { client, live, session } = await joinCall(server);
    await waitUntil(() => client.frames.length >= 30, 3000, '30 frames');
    client.ws.terminate();
    await client.closed;
    const detached = await waitUntil(async () => {
      const s = await stats(server, session.callId);
      return s.lastSeqSent > 0 && s;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stats(server, session.callId)).lastSeqSent).toBe(detached.lastSeqSent);

    const lastSeq = client.lastSeq() - 5;
    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq });
    const resumed = await again.message('resumed');
    expect(resumed).toEqual({
      type: 'resumed',
      callId: session.callId,
      startedAt: live.startedAt,
      resumeWindowSec: 30,
      heartbeatMs: 1000,
      audio: live.audio,
    });
    await waitUntil(() => again.frames.length >= 20, 3000, 'frames after resume');
    const seqs = again.frames.map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => lastSeq + 1 + i));
    expect((await stats(server, session.callId)).resumes).toBe(1);
    again.ws.close();
  });

  it('a newer socket replaces the older one with 4409', async () => {
    const { client, live } = await joinCall(server);
    const newer = await VoiceClient.open(voiceUrl());
    newer.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: client.lastSeq() });
    await newer.message('resumed');
    expect((await client.closed).code).toBe(4409);
    newer.send({ type: 'ping', id: 1 });
    await waitUntil(() => newer.messages.find((m) => m.type === 'pong'), 2000, 'pong');
    newer.ws.close();
  });

  it('refuses unknown tokens, ended calls and malformed resumes', async () => {
    const unknown = await VoiceClient.open(voiceUrl());
    unknown.send({ type: 'resume', resumeToken: 'art_nope', lastSeq: 0 });
    expect((await unknown.closed).code).toBe(4003);

    const { client, live } = await joinCall(server);
    const badSeq = await VoiceClient.open(voiceUrl());
    badSeq.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: -1 });
    expect((await badSeq.closed).code).toBe(4400);

    client.send({ type: 'bye' });
    await client.closed;
    const late = await VoiceClient.open(voiceUrl());
    late.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0 });
    expect((await late.closed).code).toBe(4003);
  });

  it('drops a socket it has heard nothing from for 5 s; the call waits for a resume', async () => {
    const { client, live, session } = await joinCall(server);
    client.answerPings = false;
    const since = Date.now();
    expect((await client.closed).code).toBe(1006);
    expect(Date.now() - since).toBeGreaterThanOrEqual(4900);
    expect((await stats(server, session.callId)).state).toBe('live');
    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: client.lastSeq() });
    await again.message('resumed');
    again.ws.close();
  }, 10_000);
});

describe('limits', () => {
  let short: AthosServer;
  beforeAll(async () => {
    short = await startServer({ resumeWindowSec: 1, maxCallSec: 2 });
  });
  afterAll(() => short.close());

  it('ends a call not resumed within the window', async () => {
    const { client, live, session } = await joinCall(short);
    expect(live.resumeWindowSec).toBe(1);
    client.ws.terminate();
    const droppedAt = Date.now();
    await waitUntil(async () => (await stats(short, session.callId)).state === 'scored', 3000, 'the call to end');
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(900);
    expect((await stats(short, session.callId)).endedReason).toBe('resume_timeout');
    const late = await VoiceClient.open(`ws://127.0.0.1:${short.port}/v1/voice`);
    late.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0 });
    expect((await late.closed).code).toBe(4003);
  });

  it('resumes within the window', async () => {
    const { client, live } = await joinCall(short);
    client.ws.terminate();
    await client.closed;
    const again = await VoiceClient.open(`ws://127.0.0.1:${short.port}/v1/voice`);
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0 });
    await again.message('resumed');
    again.ws.close();
  });

  it('ends a call at the maximum duration', async () => {
    const { client, session } = await joinCall(short);
    const ended = await client.message('ended', 6000);
    expect(ended).toEqual({ type: 'ended', reason: 'max_duration', callId: session.callId, durationSec: 2 });
    expect((await client.closed).code).toBe(1000);
  });
});
