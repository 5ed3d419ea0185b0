import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOpusDecoders } from '../../server/opus.js';
import { loadLineAudio } from '../../server/persona/audio.js';
import { scriptFor } from '../../server/persona/lines.js';
import { PERSONAS } from '../../server/persona/personas.js';
import { decodeOpus, samples, waveformMatch } from './compare-audio';
import { type AthosServer, faultRequest, joinCall, silence, startServer, tone, VoiceClient, waitUntil } from './helpers';

let server: AthosServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const OPUS_OFFER = { protocol: 2, codecs: ['opus', 'pcm16'] };
const voiceUrl = () => `ws://127.0.0.1:${server.port}/v1/voice`;
const stats = async (callId: string) => (await faultRequest(server, 'GET', `/calls/${callId}`)).json;

/** A live Opus call, and the greeting its persona says first: frames in both codecs. */
async function opusCall(target = server) {
  const call = await joinCall(target, { drillKey: 'ma-full-sale', difficulty: 'Beginner' }, undefined, OPUS_OFFER);
  expect(call.live.audio.codec).toBe('opus');
  const profile = PERSONAS.find((p) => p.name === call.session.persona.name)!;
  const greeting = (await loadLineAudio()).get(scriptFor(profile, 'Beginner').greeting.file)!;
  return { ...call, greeting };
}

/** Resolves once `count` downlink frames have arrived on `client`. */
function framesArrived(client: VoiceClient, count: number) {
  return waitUntil(() => client.frames.length >= count, 15_000, `${count} downlink frames`);
}

describe('an Opus call', () => {
  it('sends the greeting as its committed Opus packets, numbered, which decode back to the line', async () => {
    const { client, greeting } = await opusCall();
    await framesArrived(client, greeting.opus.length);
    const { frames } = client;
    expect(frames.map((f) => f.seq)).toEqual(greeting.opus.map((_, i) => i + 1));
    expect(frames.map((f) => f.body)).toEqual(greeting.opus);
    expect(frames.every((f) => f.bytes <= 4 + 1275)).toBe(true);
    const match = waveformMatch(samples(greeting.pcm16), decodeOpus(frames.map((f) => f.body)));
    expect(match.r).toBeGreaterThan(0.85);
    client.ws.close();
  });

  it('hears Opus from the rep: the persona answers after the rep stops, and records the turn', async () => {
    const { client, session, greeting } = await opusCall();
    await framesArrived(client, greeting.opus.length);
    const greetingFrames = client.frames.length;
    client.sendSpeech(Buffer.concat([tone(1000), silence(800)]), 'opus');
    const spokeAt = Date.now();
    await waitUntil(() => client.frames.length > greetingFrames, 4000, 'the reply');
    expect(client.frames[greetingFrames]!.at - spokeAt).toBeGreaterThanOrEqual(350);
    const live = await stats(session.callId);
    expect(live).toMatchObject({ state: 'live', codec: 'opus', userTurns: 1, uplinkFrames: 90 });
    // Opus delays the tone by 6.5 ms, so its end spills into the first quiet frame.
    expect(live.uplinkVoicedFrames).toBeGreaterThanOrEqual(50);
    expect(live.uplinkVoicedFrames).toBeLessThanOrEqual(51);
    expect(live.uplinkBytes).toBeLessThan(90 * 100);
    expect(live.uplinkPeak).toBeGreaterThan(6000);
    client.send({ type: 'bye' });
    await client.closed;
  });

  it('stops talking when the rep talks over it in Opus for 300 ms, not for less', async () => {
    const { client, session } = await opusCall();
    await waitUntil(() => client.frames.length >= 10, 3000, 'the greeting');
    client.sendSpeech(Buffer.concat([tone(200), silence(800)]), 'opus');
    await waitUntil(async () => (await stats(session.callId)).userTurns === 1, 3000, 'the short turn');
    expect(client.messages.some((m) => m.type === 'clear')).toBe(false);

    client.sendSpeech(tone(400), 'opus');
    const clear = await client.message('clear', 3000);
    expect(clear.seq).toBeGreaterThanOrEqual(client.lastSeq());
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterClear = client.frames.length;
    client.sendSpeech(silence(800), 'opus');
    await waitUntil(() => client.frames.length > afterClear, 3000, 'the reply after barge-in');
    expect(client.frames[afterClear]!.seq).toBe(clear.seq + 1);
    client.send({ type: 'bye' });
    await client.closed;
  });

  it('warns about frames that are not one 20 ms Opus packet, and the call goes on', async () => {
    const { client } = await opusCall();
    const warnings = () => client.messages.filter((m) => m.type === 'warning');
    const toc = (config: number, code: number) => (config << 3) | code;
    const bad = [
      Buffer.alloc(0),
      Buffer.alloc(1276, toc(9, 0)),
      Buffer.alloc(640), // a pcm16 frame: its first byte reads as a 10 ms packet
      Buffer.from([toc(9, 1), 1, 2]), // two 20 ms frames
      Buffer.from([toc(8, 2), 200]), // 20 ms by its TOC, but libopus cannot decode it
    ];
    for (const [i, frame] of bad.entries()) {
      client.ws.send(frame, { binary: true });
      await waitUntil(() => warnings().length > i, 2000, `warning ${i + 1}`);
      expect(warnings()[i]).toMatchObject({ code: 'BAD_AUDIO_FRAME', message: expect.stringMatching(/opus frames must be/) });
    }
    client.sendSpeech(silence(100), 'opus');
    client.send({ type: 'ping', id: 5 });
    await waitUntil(() => client.messages.find((m) => m.type === 'pong' && m.id === 5), 2000, 'pong 5');
    expect(warnings()).toHaveLength(bad.length);
    expect(client.closeInfo).toBeNull();
    client.ws.close();
  });

  it('resumes without losing or doubling a packet: the line arrives whole, once', async () => {
    const { client, live, greeting } = await opusCall();
    await waitUntil(() => client.frames.length >= 30, 3000, '30 frames');
    client.ws.terminate();
    await client.closed;
    // The client kept only what it had 5 frames before the drop, as if the rest was lost in flight.
    const lastSeq = client.lastSeq() - 5;
    const kept = client.frames.filter((f) => f.seq <= lastSeq);

    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq, codecs: ['opus', 'pcm16'] });
    expect((await again.message('resumed')).audio.codec).toBe('opus');
    await framesArrived(again, greeting.opus.length - lastSeq);
    const heard = [...kept, ...again.frames];
    expect(heard.map((f) => f.seq)).toEqual(greeting.opus.map((_, i) => i + 1));
    expect(heard.map((f) => f.body)).toEqual(greeting.opus);
    expect(waveformMatch(samples(greeting.pcm16), decodeOpus(heard.map((f) => f.body))).r).toBeGreaterThan(0.85);
    again.ws.close();
  });

  it("closes 4400 for a resume that does not offer opus, and the call's codec stays opus", async () => {
    const { client, live } = await opusCall();
    client.ws.terminate();
    await client.closed;
    for (const fields of [{ codecs: ['pcm16'] }, {}]) {
      const refused = await VoiceClient.open(voiceUrl());
      refused.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0, ...fields });
      expect((await refused.closed).code).toBe(4400);
    }
    const again = await VoiceClient.open(voiceUrl());
    again.send({ type: 'resume', resumeToken: live.resumeToken, lastSeq: 0, codecs: ['opus'] });
    expect((await again.message('resumed')).audio).toEqual(live.audio);
    again.ws.close();
  });
});

describe("an Opus call's decoder", () => {
  it('is freed when the call ends: by bye, by the resume window, and by a server shutdown', async () => {
    const before = openOpusDecoders();
    const byBye = await opusCall();
    expect(openOpusDecoders()).toBe(before + 1);
    const pcm = await joinCall(server);
    expect(pcm.live.audio.codec).toBe('pcm16');
    expect(openOpusDecoders()).toBe(before + 1);
    byBye.client.send({ type: 'bye' });
    await byBye.client.closed;
    expect(openOpusDecoders()).toBe(before);
    pcm.client.ws.close();

    const short = await startServer({ resumeWindowSec: 1 });
    try {
      const dropped = await opusCall(short);
      dropped.client.ws.terminate();
      await waitUntil(() => openOpusDecoders() === before, 3000, 'the resume window to end the call');
      await opusCall(short);
      await opusCall(short);
      expect(openOpusDecoders()).toBe(before + 2);
    } finally {
      await short.close();
    }
    expect(openOpusDecoders()).toBe(before);
  });
});
