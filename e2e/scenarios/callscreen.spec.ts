/**
 * The call-screen API (issue 14) in Chromium and in Firefox, against the local server: the state
 * a UI renders, the levels of both voices, why a call ended, and a token minted on demand.
 * Chromium alone (e2e/callscreen.spec.ts): the speaker, talk metrics and the pre-call check.
 */
import { startAthosServer } from '../../server/index.js';
import type { AthosCallStats, SessionSnapshot } from '../../src/index.ts';
import type { ScenarioPage } from '../browsers/ScenarioPage.ts';
import {
  callSession,
  connectResult,
  eventNames,
  expect,
  leftovers,
  NOTHING_RUNNING,
  payloads,
  redemptionsStarted,
  startCall,
  startWith,
  test,
  waitForEvent,
} from '../fixtures.ts';

declare global {
  interface Window {
    /** The token function of the cancel test: its signal, and how the test makes it resolve. */
    mint: { signal: AbortSignal | undefined; finish: ((token: string) => void) | undefined };
  }
}

/** The loudest value `method` (a level getter) returns over `ms`, sampled every 20 ms. */
function peakOf(page: ScenarioPage, method: 'getInputLevel' | 'getOutputLevel', ms: number): Promise<number> {
  return page.evaluate(
    async ([name, duration]) => {
      const live = window.harness.session!;
      let peak = 0;
      const until = performance.now() + duration;
      while (performance.now() < until) {
        peak = Math.max(peak, live[name]());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return peak;
    },
    [method, ms] as const,
  );
}

const snapshot = (page: ScenarioPage) => page.evaluate(() => window.harness.session!.snapshot as SessionSnapshot);
const stats = (page: ScenarioPage) => page.evaluate(() => window.harness.session!.getStats() as AthosCallStats);

/** Mints a token on a server of the test's own, as an integrator's backend would. */
async function mintOn(server: { url: string; apiKey: string }): Promise<string> {
  const response = await fetch(`${server.url}/api/external/v1/session`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ externalUserId: 'rep-e2e' }),
  });
  return ((await response.json()) as { token: string }).token;
}

test('stateChange follows a call with a drop, each just before its event; the snapshot and stats agree', async ({
  harness: page,
  athos,
}) => {
  await startCall(page, athos);
  expect(await snapshot(page)).toMatchObject({
    state: 'connected',
    callId: expect.stringMatching(/^athos_call_/),
    persona: { name: expect.any(String) },
    transport: 'websocket',
    codec: 'opus',
    muted: false,
  });
  await waitForEvent(page, 'personaSpeaking');
  // A round trip is known once the first heartbeat was answered (one a second).
  await expect.poll(async () => (await stats(page)).rttMs, { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
  await athos.fault('refuse-reconnects', { seconds: 2 });
  await athos.fault('drop');
  await waitForEvent(page, 'reconnected', 1, 20_000);
  await callSession(page, 'disconnect');
  const { transitions, allNames } = await page.evaluate(() => ({
    transitions: window.harness.transitions,
    allNames: window.harness.names(),
  }));
  expect(transitions.map(({ previous, state }) => `${previous}→${state}`)).toEqual([
    'idle→connecting',
    'connecting→connected',
    'connected→reconnecting',
    'reconnecting→connected',
    'connected→ended',
  ]);
  // Each transition came before the event that goes with it, with at most the speaking flags
  // (reset by a drop) in between.
  const next = (from: number) => allNames.slice(from).find((name) => !name.endsWith('Speaking'));
  expect(transitions.map(({ before }) => next(before))).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected', 'ended']);
  expect(allNames.filter((name) => !name.endsWith('Speaking'))).toEqual([
    'connecting',
    'ready',
    'reconnecting',
    'reconnected',
    'ended',
  ]);
  const figures = await stats(page);
  expect(figures).toMatchObject({ reconnects: 1, lostFrames: 0 });
  expect(figures.reconnectingMs).toBeGreaterThan(0);
  expect(figures.rttMs).toBeGreaterThanOrEqual(0);
  expect(figures.rttMs).toBeLessThan(1_000);
  // The rep's frames since ready, and at least the persona's first words: Opus at 12 kbit/s and
  // more is at least 30 bytes a frame.
  expect(figures.bytesSent).toBeGreaterThan(30 * 10);
  expect(figures.bytesReceived).toBeGreaterThan(30 * 5);
  expect((await snapshot(page)).state).toBe('ended');
});

test('the input level rises with the microphone and is 0 while muted; the output level rises while the persona speaks', async ({
  harness: page,
  athos,
}) => {
  await startCall(page, athos);
  // The microphone's sentence loops with 4 s of silence: listen until it speaks.
  await expect.poll(() => peakOf(page, 'getInputLevel', 1_000), { timeout: 20_000 }).toBeGreaterThan(0.4);
  await callSession(page, 'mute');
  expect(await peakOf(page, 'getInputLevel', 1_500)).toBe(0);
  await callSession(page, 'unmute');
  await expect.poll(() => peakOf(page, 'getInputLevel', 1_000), { timeout: 20_000 }).toBeGreaterThan(0.4);
  // The persona greets first; the rep's speech may cut her off, so listen until she is heard.
  await expect.poll(() => peakOf(page, 'getOutputLevel', 1_000), { timeout: 30_000 }).toBeGreaterThan(0.4);
});

test.describe('ended.reason', () => {
  test('client: disconnect()', async ({ harness: page, athos }) => {
    await startCall(page, athos);
    await callSession(page, 'disconnect');
    expect((await payloads(page, 'ended'))[0]).toMatchObject({ reason: 'client' });
  });

  test('ended_by_athos: the server ends the call', async ({ harness: page, athos }) => {
    const callId = await startCall(page, athos);
    await athos.fault('end-call', { callId });
    await waitForEvent(page, 'ended');
    expect((await payloads(page, 'ended'))[0]).toMatchObject({ callId, reason: 'ended_by_athos' });
  });

  test('error: the gateway closes the live call with 1011', async ({ harness: page, athos }) => {
    await startCall(page, athos);
    await athos.fault('drop', { closeCode: 1011 });
    await waitForEvent(page, 'ended');
    expect((await payloads(page, 'error'))[0]).toMatchObject({ code: 'INTERNAL_ERROR', closeCode: 1011 });
    expect((await payloads(page, 'ended'))[0]).toMatchObject({ reason: 'error' });
  });

  test('max_duration: a server whose calls last at most 3 s', async ({ harness: page }) => {
    const server = await startAthosServer({ port: 0, apiKey: 'ath_test_ceiling', maxCallSec: 3 });
    try {
      await startWith(page, server, { token: await mintOn(server) });
      await waitForEvent(page, 'ended', 1, 15_000);
      expect((await payloads(page, 'ended'))[0]).toMatchObject({ reason: 'max_duration', durationSec: 3 });
      expect(await eventNames(page)).not.toContain('error');
    } finally {
      await server.close();
    }
  });

  test('resume_timeout: the gateway kept the call 2 s, the link was back later', async ({ harness: page }) => {
    const server = await startAthosServer({ port: 0, apiKey: 'ath_test_window', resumeWindowSec: 2, faults: true });
    const fault = (name: string, body: unknown) =>
      fetch(`${server.url}/__faults/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Athos-Fault-Secret': server.faultSecret ?? '' },
        body: JSON.stringify(body),
      });
    try {
      await startWith(page, server, { token: await mintOn(server) });
      await waitForEvent(page, 'ready');
      await fault('refuse-reconnects', { seconds: 4 });
      await fault('drop', {});
      await waitForEvent(page, 'ended', 1, 15_000);
      expect((await payloads(page, 'error'))[0]).toMatchObject({ code: 'NETWORK_LOST', closeCode: 4003 });
      expect((await payloads(page, 'ended'))[0]).toMatchObject({ reason: 'resume_timeout' });
    } finally {
      await server.close();
    }
  });
  // network_lost (30 s without the link): reconnect.spec.ts, "reconnects refused past 30 s …".
});

test.describe('token as a function', () => {
  test('disconnect() while the token is minted: no call starts, nothing runs, and the token stays unspent', async ({
    harness: page,
    athos,
  }) => {
    await page.evaluate(() => {
      window.mint = { signal: undefined, finish: undefined };
    });
    await page.evaluate((apiBase) => {
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
    await page.waitForFunction(() => window.mint.finish !== undefined, undefined);
    await callSession(page, 'disconnect');
    expect(await page.evaluate(() => window.mint.signal?.aborted)).toBe(true);
    const token = await athos.mintToken();
    await page.evaluate((late) => window.mint.finish?.(late), token);
    expect(await connectResult(page)).toEqual({ ok: true });
    expect(await eventNames(page)).toEqual(['connecting']);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(await redemptionsStarted(page)).toBe(0);
    // The late token was never redeemed: it starts a call.
    await startWith(page, athos, { token });
    await waitForEvent(page, 'ready');
  });

  test('a token function starts a call like a token', async ({ harness: page, athos }) => {
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
