/**
 * A whole call, in Chromium and in Firefox, against the local server: the persona heard through
 * the SDK's `<audio>` element, the rep's sentence reaching the gateway, the speaking flags, mute,
 * and every way a call ends with nothing left running.
 */
import type { AthosRoleplayError } from '../../src/index.ts';
import type { ScenarioPage } from '../browsers/ScenarioPage.ts';
import {
  audioElementPeak,
  callEvents,
  callSession,
  connectResult,
  eventNames,
  expect,
  installMediaProbe,
  leftovers,
  NOTHING_RUNNING,
  payloads,
  peerStates,
  sessionState,
  startCall,
  test,
  textSendsAfter,
  uplinkSends,
  waitForEvent,
  waitForPersonaSpeech,
} from '../fixtures.ts';

/** Every harness page also records what it sends and the peer connections it makes. */
const test_ = test.extend<{ harness: ScenarioPage }>({
  harness: async ({ scenarioTab, harness }, use) => {
    await installMediaProbe(scenarioTab.page);
    await harness.goto('/e2e/harness.html');
    await harness.waitForFunction(() => 'harness' in window, undefined);
    await use(harness);
  },
});

test_(
  'the persona is heard through the SDK’s <audio> element; the rep’s sentence reaches the gateway in 20 ms frames',
  async ({ harness: page, athos, engine }) => {
    const callId = await startCall(page, athos);
    await waitForEvent(page, 'personaSpeaking');
    await expect.poll(() => audioElementPeak(page, 1000), { timeout: 20_000 }).toBeGreaterThan(0.05);
    const element = await page.evaluate(() => {
      const audio = document.querySelector('audio') as HTMLAudioElement;
      return {
        hidden: audio.hidden,
        inBody: audio.parentElement === document.body,
        tracks: (audio.srcObject as MediaStream).getAudioTracks().length,
      };
    });
    expect(element).toEqual({ hidden: true, inBody: true, tracks: 1 });
    // Chromium plays through the local peer-connection pair, so that its echo canceller knows
    // the sound; Firefox's canceller knows it without one (bench/echo.mjs, bench/README.md).
    expect(await peerStates(page)).toEqual(engine === 'chromium' ? ['connected', 'connected'] : []);

    await expect
      .poll(
        async () => {
          const stats = await athos.callStats(callId);
          return { voiced: (stats.uplinkVoicedFrames as number) > 25, loud: (stats.uplinkPeak as number) > 8_000 };
        },
        { timeout: 20_000 },
      )
      .toEqual({ voiced: true, loud: true });
    // Opus, which the gateway counts only as valid 20 ms packets: a few dozen bytes each, where
    // a pcm16 frame is 640.
    const stats = await athos.callStats(callId);
    expect(stats.codec).toBe('opus');
    expect((stats.uplinkBytes as number) / (stats.uplinkFrames as number)).toBeLessThan(120);
  },
);

test_(
  'userSpeaking and personaSpeaking follow a real exchange, each reported only on change',
  async ({ harness: page, athos }) => {
    await startCall(page, athos);
    const both = [{ speaking: true }, { speaking: false }];
    await expect.poll(() => payloads(page, 'userSpeaking'), { timeout: 25_000 }).toEqual(expect.arrayContaining(both));
    await expect.poll(() => payloads(page, 'personaSpeaking'), { timeout: 25_000 }).toEqual(expect.arrayContaining(both));
    for (const name of ['userSpeaking', 'personaSpeaking'] as const) {
      const values = (await payloads(page, name)).map((payload) => payload.speaking);
      expect(values.every((value, i) => value === (i % 2 === 0))).toBe(true);
    }
  },
);

test_('mute() stops the uplink at once and reports not speaking; unmute() resumes it', async ({ harness: page, athos }) => {
  await startCall(page, athos);
  await expect.poll(async () => (await payloads(page, 'userSpeaking')).at(-1), { timeout: 20_000 }).toEqual({ speaking: true });
  await callSession(page, 'mute');
  const mutedAt = await page.evaluate(() => performance.now());
  expect((await payloads(page, 'userSpeaking')).at(-1)).toEqual({ speaking: false });
  const reportsAtMute = (await payloads(page, 'userSpeaking')).length;
  // Two heartbeats later, nothing was sent since the mute, though the rep kept talking.
  await expect.poll(() => textSendsAfter(page, mutedAt)).toBeGreaterThanOrEqual(2);
  expect((await uplinkSends(page)).filter((at) => at > mutedAt)).toEqual([]);
  expect(await payloads(page, 'userSpeaking')).toHaveLength(reportsAtMute);

  await callSession(page, 'unmute');
  const unmutedAt = await page.evaluate(() => performance.now());
  await expect.poll(async () => (await uplinkSends(page)).filter((at) => at > unmutedAt).length).toBeGreaterThan(25);
});

test_('SESSION_ALREADY_CONNECTED: a second connect() rejects and the call goes on', async ({ harness: page, athos }) => {
  await startCall(page, athos);
  const second = await page.evaluate(async () => {
    const session = window.harness.session as NonNullable<typeof window.harness.session>;
    let emitted: unknown;
    const off = session.on('error', (error: unknown) => {
      emitted = error;
    });
    const rejected = await session.connect().then(
      () => null,
      (error: AthosRoleplayError) => error,
    );
    off();
    return { error: rejected?.toJSON(), sameAsEvent: emitted === rejected, state: session.state };
  });
  expect(second).toEqual({
    error: expect.objectContaining({ code: 'SESSION_ALREADY_CONNECTED', phase: 'connect', retryable: false }),
    sameAsEvent: true,
    state: 'connected',
  });
  expect(await connectResult(page)).toEqual({ ok: true });
  expect(await eventNames(page)).not.toContain('ended');
});

test_(
  'disconnect() mid-sentence ends the call on the server at once, and leaves nothing running',
  async ({ harness: page, athos }) => {
    const callId = await startCall(page, athos);
    await waitForPersonaSpeech(page, 0);
    const peers = (await peerStates(page)).length;
    // One AudioContext for the capture and the playback.
    expect(await leftovers(page)).toMatchObject({ liveTracks: 1, openContexts: 1, audioElements: 1 });
    await page.evaluate(() => window.harness.session?.disconnect());
    const events = await callEvents(page);
    expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'ended']);
    expect((await athos.callStats(callId)).endedReason).toBe('client');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(await peerStates(page)).toEqual(Array(peers).fill('closed'));
    await expect.poll(async () => (await athos.rest(`/calls/${callId}`)).status).toBe(200);
    const { body } = await athos.rest(`/calls/${callId}`);
    expect(body).toMatchObject({ callId, endedAt: expect.any(String) });
    expect(events[2]?.payload).toMatchObject({ callId, durationSec: body.durationSec, reason: 'client' });
  },
);

test_('a call ended by the server fires ended with its call id, and leaves nothing running', async ({ harness: page, athos }) => {
  const callId = await startCall(page, athos);
  await athos.fault('end-call', { callId });
  await waitForEvent(page, 'ended');
  const events = await callEvents(page);
  expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'ended']);
  await expect.poll(async () => (await athos.rest(`/calls/${callId}`)).status).toBe(200);
  const { body } = await athos.rest(`/calls/${callId}`);
  expect(events[2]?.payload).toMatchObject({ callId, durationSec: body.durationSec, reason: 'ended_by_athos' });
  expect(await sessionState(page)).toBe('ended');
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
});
