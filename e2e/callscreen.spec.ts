/**
 * What an app needs for a call screen (issue 14), in Chromium against the local server: the
 * state a UI renders, levels, the speaker, why a call ended, talk metrics, a token minted on
 * demand, and the pre-call check.
 */
import type { Page } from '@playwright/test';
import { startAthosServer } from '../server/index.js';
import type { AthosPreflightOptions, AthosPreflightReport } from '../src/index.ts';
import { type AthosServerHandle, expect, leftovers, NOTHING_RUNNING, startCall, test, waitForEvent } from './fixtures.ts';
import type { RecordedEvent } from './harness.ts';

declare global {
  interface Window {
    /** The token function of the cancel test: its signal, and how the test makes it resolve. */
    mint: { signal: AbortSignal | undefined; finish: ((token: string) => void) | undefined };
  }
}

/** Calls a method of the harness's session in the page. */
function session<T = unknown>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, params]) =>
      (window.harness.session as unknown as Record<string, (...args: unknown[]) => T>)[name as string]!(...(params as unknown[])),
    [method, args] as const,
  );
}

/** The loudest value `method` (a level getter) returns over `ms`, sampled every 20 ms. */
function peakOf(page: Page, method: 'getInputLevel' | 'getOutputLevel', ms: number): Promise<number> {
  return page.evaluate(
    async ([name, duration]) => {
      const live = window.harness.session!;
      const level = name as 'getInputLevel' | 'getOutputLevel';
      let peak = 0;
      const until = performance.now() + (duration as number);
      while (performance.now() < until) {
        peak = Math.max(peak, live[level]());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return peak;
    },
    [method, ms] as const,
  );
}

/** The payload of the first recorded `name` event. */
function payloadOf(page: Page, name: string): Promise<unknown> {
  return page.evaluate((wanted) => window.harness.events.find((event) => event.name === wanted)?.payload, name);
}

async function mint(server: { url: string; apiKey: string }): Promise<string> {
  const response = await fetch(`${server.url}/api/external/v1/session`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ externalUserId: 'rep-e2e' }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Starts a call on the harness page against a server of the test's own. */
async function startOn(page: Page, server: { url: string; apiKey: string }): Promise<void> {
  const token = await mint(server);
  await page.evaluate(
    (options) => {
      void window.harness.start(options);
    },
    { token, drillKey: 'ma-full-sale', apiBase: server.url },
  );
  await waitForEvent(page, 'ready');
}

test.describe('state a call screen renders', () => {
  test('stateChange follows a call with a drop, each just before its event; the snapshot and stats agree', async ({
    athosPage: page,
    athos,
  }) => {
    await startCall(page, athos);
    expect(await page.evaluate(() => window.harness.session!.snapshot)).toMatchObject({
      state: 'connected',
      callId: expect.stringMatching(/^athos_call_/),
      persona: { name: expect.any(String) },
      transport: 'websocket',
      codec: 'pcm16',
      muted: false,
    });
    await waitForEvent(page, 'personaSpeaking');
    await athos.fault('refuse-reconnects', { seconds: 2 });
    await athos.fault('drop');
    await waitForEvent(page, 'reconnected', 1, 20_000);
    await session(page, 'disconnect');
    const { transitions, names } = await page.evaluate(() => {
      const { harness } = window;
      return {
        transitions: harness.transitions,
        names: harness.names().filter((name) => !name.endsWith('Speaking')),
      };
    });
    expect(transitions.map(({ previous, state }) => `${previous}→${state}`)).toEqual([
      'idle→connecting',
      'connecting→connected',
      'connected→reconnecting',
      'reconnecting→connected',
      'connected→ended',
    ]);
    // Each transition came before the event that goes with it, with at most the speaking flags
    // (reset by a drop) in between.
    const allNames = await page.evaluate(() => window.harness.names());
    const next = (from: number) => allNames.slice(from).find((name) => !name.endsWith('Speaking'));
    expect(transitions.map(({ before }) => next(before))).toEqual([
      'connecting',
      'ready',
      'reconnecting',
      'reconnected',
      'ended',
    ]);
    expect(names).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected', 'ended']);
    const stats = await session<Record<string, number>>(page, 'getStats');
    expect(stats).toMatchObject({ reconnects: 1, lostFrames: 0 });
    expect(stats.reconnectingMs).toBeGreaterThan(0);
    expect(stats.rttMs).toBeGreaterThanOrEqual(0);
    expect(stats.rttMs).toBeLessThan(1_000);
    // The rep's frames since ready, and at least the persona's first words.
    expect(stats.bytesSent).toBeGreaterThan(640 * 10);
    expect(stats.bytesReceived).toBeGreaterThan(640 * 5);
    expect(await page.evaluate(() => window.harness.session!.snapshot.state)).toBe('ended');
  });
});

test.describe('levels and the speaker', () => {
  test('the input level rises with the fake microphone and is 0 while muted; the output level rises while the persona speaks', async ({
    athosPage: page,
    athos,
  }) => {
    await startCall(page, athos);
    // The fake microphone's sentence loops with 4 s of silence: listen until it speaks.
    await expect.poll(() => peakOf(page, 'getInputLevel', 1_000), { timeout: 20_000 }).toBeGreaterThan(0.4);
    await session(page, 'mute');
    expect(await peakOf(page, 'getInputLevel', 1_500)).toBe(0);
    await session(page, 'unmute');
    await expect.poll(() => peakOf(page, 'getInputLevel', 1_000), { timeout: 20_000 }).toBeGreaterThan(0.4);
    // The persona greets first; the rep's speech may cut her off, so listen until she is heard.
    await expect.poll(() => peakOf(page, 'getOutputLevel', 1_000), { timeout: 30_000 }).toBeGreaterThan(0.4);
  });

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

test.describe('ended.reason', () => {
  test('client: disconnect()', async ({ athosPage: page, athos }) => {
    await startCall(page, athos);
    await session(page, 'disconnect');
    expect(await payloadOf(page, 'ended')).toMatchObject({ reason: 'client' });
  });

  test('ended_by_athos: the server ends the call', async ({ athosPage: page, athos }) => {
    const callId = await startCall(page, athos);
    await athos.fault('end-call', { callId });
    await waitForEvent(page, 'ended');
    expect(await payloadOf(page, 'ended')).toMatchObject({ callId, reason: 'ended_by_athos' });
  });

  test('error: the gateway closes the live call with 1011', async ({ athosPage: page, athos }) => {
    await startCall(page, athos);
    await athos.fault('drop', { closeCode: 1011 });
    await waitForEvent(page, 'ended');
    expect(await payloadOf(page, 'error')).toMatchObject({ code: 'INTERNAL_ERROR', closeCode: 1011 });
    expect(await payloadOf(page, 'ended')).toMatchObject({ reason: 'error' });
  });

  test('max_duration: a server whose calls last at most 3 s', async ({ athosPage: page }) => {
    const server = await startAthosServer({ port: 0, apiKey: 'ath_test_ceiling', maxCallSec: 3 });
    try {
      await startOn(page, server);
      await waitForEvent(page, 'ended', 1, 10_000);
      expect(await payloadOf(page, 'ended')).toMatchObject({ reason: 'max_duration', durationSec: 3 });
      expect(await page.evaluate(() => window.harness.names().includes('error'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('resume_timeout: the gateway kept the call 2 s, the link was back later', async ({ athosPage: page }) => {
    const server = await startAthosServer({ port: 0, apiKey: 'ath_test_window', resumeWindowSec: 2, faults: true });
    const fault = (name: string, body?: unknown) =>
      fetch(`${server.url}/__faults/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    try {
      await startOn(page, server);
      await fault('refuse-reconnects', { seconds: 4 });
      await fault('drop');
      await waitForEvent(page, 'ended', 1, 15_000);
      expect(await payloadOf(page, 'error')).toMatchObject({ code: 'NETWORK_LOST', closeCode: 4003 });
      expect(await payloadOf(page, 'ended')).toMatchObject({ reason: 'resume_timeout' });
    } finally {
      await server.close();
    }
  });
  // network_lost (30 s without the link): connection.spec.ts, "reconnects refused past 30 s …".
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

test.describe('token as a function', () => {
  test('disconnect() while the token is minted: no call starts, nothing runs, and the token stays unspent', async ({
    athosPage: page,
    athos,
  }) => {
    const redemptions: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/roleplay/session')) redemptions.push(request.method());
    });
    await page.evaluate((apiBase) => {
      window.mint = { signal: undefined, finish: undefined };
      void window.harness.start({
        drillKey: 'ma-full-sale',
        apiBase,
        token: ({ signal }) =>
          new Promise<string>((resolve) => {
            window.mint = { signal, finish: resolve };
          }),
      });
    }, athos.url);
    // The function is called once the microphone is granted.
    await page.waitForFunction(() => window.mint.finish !== undefined);
    await session(page, 'disconnect');
    expect(await page.evaluate(() => window.mint.signal?.aborted)).toBe(true);
    const token = await athos.mintToken();
    await page.evaluate((late) => window.mint.finish?.(late), token);
    await page.waitForFunction(() => window.harness.connectResult !== undefined);
    expect(await page.evaluate(() => window.harness.connectResult)).toEqual({ ok: true });
    expect(await page.evaluate(() => window.harness.names())).toEqual(['connecting']);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(redemptions).toEqual([]);
    // The late token was never redeemed: it starts a call.
    await startWithToken(page, athos, token);
    await waitForEvent(page, 'ready');
  });

  test('a token function starts a call like a token', async ({ athosPage: page, athos }) => {
    const token = await athos.mintToken();
    await page.evaluate(
      ({ apiBase, minted }) => {
        void window.harness.start({ drillKey: 'ma-full-sale', apiBase, token: async () => minted });
      },
      { apiBase: athos.url, minted: token },
    );
    await waitForEvent(page, 'ready');
  });
});

async function startWithToken(page: Page, athos: AthosServerHandle, token: string): Promise<void> {
  await page.evaluate(
    (options) => {
      void window.harness.start(options);
    },
    { token, drillKey: 'ma-full-sale', apiBase: athos.url },
  );
}

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
