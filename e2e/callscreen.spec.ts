/**
 * What an app needs for a call screen (issue 14), in Chromium against the local server: the
 * speaker, talk metrics and the pre-call check. What both engines share (state, levels, why a
 * call ended, a token minted on demand) is in scenarios/callscreen.spec.ts.
 */
import type { Page } from '@playwright/test';
import { startAthosServer } from '../server/index.js';
import type { AthosPreflightOptions, AthosPreflightReport } from '../src/index.ts';
import { expect, leftovers, NOTHING_RUNNING, startCall, test, waitForEvent } from './fixtures.ts';
import type { RecordedEvent } from './harness.ts';

/** Calls a method of the harness's session in the page. */
function session<T = unknown>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, params]) =>
      (window.harness.session as unknown as Record<string, (...args: unknown[]) => T>)[name as string]!(...(params as unknown[])),
    [method, args] as const,
  );
}

test.describe('the speaker', () => {
  test('setSpeaker() moves the persona to a listed output mid-call, or rejects as documented', async ({
    athosPage: page,
    athos,
  }) => {
    await startCall(page, athos);
    const speakers = await session<Array<{ deviceId: string; label: string }>>(page, 'listSpeakers');
    const other = speakers.find((speaker) => speaker.deviceId !== '' && speaker.deviceId !== 'default');
    const outcome = (deviceId: string) =>
      page.evaluate(
        (id) =>
          window.harness.session!.setSpeaker(id).then(
            () => ({ ok: true, sinkId: document.querySelector('audio')?.sinkId }),
            (error: { code?: string }) => ({ ok: false, code: error.code }),
          ),
        deviceId,
      );
    const supported = await page.evaluate(() => 'setSinkId' in HTMLMediaElement.prototype);
    if (supported && other) {
      expect(await outcome(other.deviceId)).toEqual({ ok: true, sinkId: other.deviceId });
      expect(await page.evaluate(() => window.harness.session!.snapshot.speakerId)).toBe(other.deviceId);
      expect(await outcome('')).toEqual({ ok: true, sinkId: '' });
    } else if (!supported) {
      expect(await outcome(speakers[0]?.deviceId ?? '')).toEqual({ ok: false, code: 'BROWSER_NOT_SUPPORTED' });
    }
    test.info().annotations.push({
      type: 'speakers',
      description: `${speakers.length} listed; setSinkId ${supported ? 'supported' : 'missing'}; ${other ? `switched to ${other.label}` : 'no other output to switch to'}`,
    });
    expect(await outcome('no-such-speaker')).toEqual({
      ok: false,
      code: supported ? 'INVALID_REQUEST' : 'BROWSER_NOT_SUPPORTED',
    });
    expect(await page.evaluate(() => window.harness.session!.state)).toBe('connected');
  });
});

test.describe('talk metrics', () => {
  test.use({ browserSetup: { microphone: 'talking' } });

  /**
   * The metrics computed here from the recorded speaking events, independently of the SDK:
   * talk time per side, interruptions, and silences of both over 3 s, from `ready` to `ended`.
   */
  function fromEvents(events: RecordedEvent[]) {
    const start = events.find((event) => event.name === 'ready')!.at;
    const end = events.find((event) => event.name === 'ended')!.at;
    let rep = false;
    let persona = false;
    let repSince = 0;
    let personaSince = 0;
    let silentSince = start;
    const totals = { repTalkMs: 0, personaTalkMs: 0, interruptions: 0, deadAirCount: 0, deadAirMs: 0 };
    const endSilence = (at: number) => {
      if (!rep && !persona && at - silentSince > 3_000) {
        totals.deadAirCount += 1;
        totals.deadAirMs += at - silentSince;
      }
    };
    for (const event of events) {
      const { at } = event;
      if (at < start || at > end || (event.name !== 'userSpeaking' && event.name !== 'personaSpeaking')) continue;
      endSilence(at);
      const { speaking } = event.payload;
      if (event.name === 'userSpeaking') {
        if (speaking && persona) totals.interruptions += 1;
        if (speaking) repSince = at;
        else totals.repTalkMs += at - repSince;
        rep = speaking;
      } else {
        if (speaking) personaSince = at;
        else totals.personaTalkMs += at - personaSince;
        persona = speaking;
      }
      if (!rep && !persona) silentSince = at;
    }
    endSilence(end);
    return totals;
  }

  test('follow a call whose speech the test scripts with mute(), live and in ended', async ({ athosPage: page, athos }) => {
    test.setTimeout(90_000);
    const token = await athos.mintToken();
    // Muted from the ready event on: the rep says nothing until the test unmutes.
    await page.evaluate(
      (options) => {
        const live = window.harness.create(options);
        live.on('ready', () => void live.mute());
        void live.connect();
      },
      { token, drillKey: 'ma-full-sale', apiBase: athos.url },
    );
    await waitForEvent(page, 'ready');
    const metrics = () => session<Record<string, number>>(page, 'getTalkMetrics');
    // The greeting, then silence until the SDK counts dead air.
    await waitForEvent(page, 'personaSpeaking', 2, 20_000);
    await expect.poll(async () => (await metrics()).deadAirCount, { timeout: 10_000 }).toBe(1);
    expect((await metrics()).repTalkMs).toBe(0);

    // The rep talks for at least 2 s, then stops; the persona answers.
    await session(page, 'unmute');
    await expect.poll(async () => (await metrics()).repTalkMs, { timeout: 10_000 }).toBeGreaterThanOrEqual(2_000);
    await session(page, 'mute');
    const monologue = (await metrics()).longestRepMonologueMs as number;
    expect(monologue).toBeGreaterThanOrEqual(2_000);

    // The rep talks over the persona's answer, at once from the page: one interruption; she
    // stops (barge-in). If she is speaking already, the rep starts now.
    await page.evaluate(() => {
      const live = window.harness.session!;
      if (live.snapshot.personaSpeaking) {
        void live.unmute();
        return;
      }
      const stop = live.on('personaSpeaking', ({ speaking }) => {
        if (!speaking) return;
        stop();
        void live.unmute();
      });
    });
    await expect.poll(async () => (await metrics()).interruptions, { timeout: 20_000 }).toBe(1);
    await page.waitForFunction(() => !window.harness.session!.snapshot.personaSpeaking, undefined, { timeout: 20_000 });
    await session(page, 'mute');
    await session(page, 'disconnect');

    const { ended, events } = await page.evaluate(() => {
      const { events: all } = window.harness;
      const last = all.find((event): event is Extract<RecordedEvent, { name: 'ended' }> => event.name === 'ended');
      return { ended: last!.payload, events: all };
    });
    const expected = fromEvents(events);
    const { metrics: final } = ended;
    expect(final).toEqual(await metrics());
    expect(final.interruptions).toBe(1);
    expect(final.deadAirCount).toBe(expected.deadAirCount);
    expect(final.deadAirCount).toBeGreaterThanOrEqual(1);
    for (const key of ['repTalkMs', 'personaTalkMs', 'deadAirMs'] as const) {
      expect(Math.abs(final[key] - expected[key]), key).toBeLessThanOrEqual(20);
    }
    expect(final.talkRatio).toBeCloseTo(final.repTalkMs / (final.repTalkMs + final.personaTalkMs), 3);
    expect(final.longestRepMonologueMs).toBeGreaterThanOrEqual(monologue);
    expect(final.longestRepMonologueMs).toBeLessThanOrEqual(final.repTalkMs);

    // The gateway's own record of the persona's turns agrees, within what hearing adds per turn
    // (network, the playback detector's 40 ms onset and 400 ms hang time).
    await expect.poll(async () => (await athos.rest(`/calls/${ended.callId}`)).status).toBe(200);
    const { body } = await athos.rest(`/calls/${ended.callId}`);
    const transcript = body.transcript as Array<{ role: string; startedAtMs: number; endedAtMs: number }>;
    const turns = transcript.filter((turn) => turn.role === 'assistant');
    const served = turns.reduce((sum, turn) => sum + turn.endedAtMs - turn.startedAtMs, 0);
    expect(Math.abs(final.personaTalkMs - served)).toBeLessThan(700 * turns.length);
  });
});

/** Runs `AthosRoleplay.preflight()` in the page. */
function preflight(page: Page, options: AthosPreflightOptions): Promise<AthosPreflightReport> {
  return page.evaluate((opts) => window.harness.sdk.AthosRoleplay.preflight(opts), options);
}

test.describe('preflight', () => {
  test.use({ browserSetup: { microphone: 'talking' } });

  test('passes on a working machine against the local server, and leaves nothing open', async ({ athosPage: page, athos }) => {
    const report = await preflight(page, { apiBase: athos.url });
    expect(report).toMatchObject({
      verdict: 'pass',
      browser: { verdict: 'pass' },
      secureContext: { verdict: 'pass' },
      microphone: { verdict: 'pass', permission: 'granted' },
      microphoneSignal: { verdict: 'pass' },
      speakers: { verdict: expect.stringMatching(/^(pass|warn)$/), canChoose: true },
      autoplay: { verdict: 'pass' },
      api: { verdict: 'pass', rttMs: expect.any(Number) },
      gateway: { verdict: 'pass', connectMs: expect.any(Number) },
    });
    expect(report.microphoneSignal.peakLevel).toBeGreaterThan(0.4);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });

  test('fails the API with the code a call would get when the server is down', async ({ athosPage: page }) => {
    const gone = await startAthosServer({ port: 0 });
    await gone.close();
    const report = await preflight(page, { apiBase: gone.url });
    expect(report.verdict).toBe('fail');
    expect(report.api).toMatchObject({ verdict: 'fail', errorCode: 'INTERNAL_ERROR' });
    expect(report.gateway.verdict).toBe('skipped');
    expect(report.microphone.verdict).toBe('pass');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});

test.describe('preflight without the microphone permission', () => {
  test.use({ browserSetup: { microphone: 'refused' } });

  test('fails the microphone with MIC_PERMISSION_DENIED and does not listen', async ({ athosPage: page, athos }) => {
    const report = await preflight(page, { apiBase: athos.url });
    expect(report.verdict).toBe('fail');
    expect(report.microphone).toMatchObject({ verdict: 'fail', errorCode: 'MIC_PERMISSION_DENIED' });
    expect(report.microphoneSignal.verdict).toBe('skipped');
    expect(report.api.verdict).toBe('pass');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});
