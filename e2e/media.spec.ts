/**
 * The media layer in real Chromium against the local server: the persona heard through the
 * SDK's `<audio>` element, the fake microphone's WAV reaching the gateway, speaking detection,
 * device switching and loss, permissions, and a clean teardown (autoplay: error-matrix.spec.ts).
 */
import type { Page } from '@playwright/test';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS } from '../playwright.config.ts';
import type { AthosEventName, AthosRoleplayError } from '../src/index.ts';
import {
  audioElementPeak,
  test as base,
  eventNames,
  expect,
  leftovers,
  NOTHING_RUNNING,
  startCall,
  waitForEvent,
} from './fixtures.ts';
import type { ConnectResult, RecordedPayload } from './harness.ts';

/** What installMediaProbe records, as `window.mediaProbe`. */
interface MediaProbe {
  sends: number[];
  textSends: number[];
  peers: RTCPeerConnection[];
}

declare global {
  interface Window {
    mediaProbe: MediaProbe;
  }
}

/** Every page also records when it sends audio (see installMediaProbe). */
const test = base.extend({
  page: async ({ page }, use) => {
    await installMediaProbe(page);
    await use(page);
  },
});

/**
 * Records when the page sends WebSocket frames, binary (uplink audio) and text (control
 * messages, among them a heartbeat every second), and every RTCPeerConnection it makes.
 */
async function installMediaProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: MediaProbe = {
      sends: [],
      textSends: [],
      peers: [],
    };
    Object.assign(window, { mediaProbe: probe });
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      (typeof data === 'string' ? probe.textSends : probe.sends).push(performance.now());
      send.call(this, data);
    };
    window.RTCPeerConnection = class extends window.RTCPeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        probe.peers.push(this);
      }
    };
  });
}

/** When (page `performance.now()` ms) uplink frames were sent. */
const uplinkSends = (page: Page): Promise<number[]> => page.evaluate(() => window.mediaProbe.sends);

/** How many text frames (control messages) the page sent after `at`. */
const textSendsAfter = (page: Page, at: number): Promise<number> =>
  page.evaluate((since) => window.mediaProbe.textSends.filter((sent: number) => sent > since).length, at);

/** The connection state of every RTCPeerConnection the page made. */
const peerStates = (page: Page): Promise<string[]> =>
  page.evaluate(() => window.mediaProbe.peers.map((peer: RTCPeerConnection) => peer.connectionState));

/** The payloads of the recorded events named `name`. */
function payloads<K extends AthosEventName>(page: Page, name: K): Promise<RecordedPayload<K>[]> {
  return page.evaluate(
    (wanted) => window.harness.events.filter((event) => event.name === wanted).map((event) => event.payload),
    name,
  ) as Promise<RecordedPayload<K>[]>;
}

/** Calls a session method in the page; resolves with its result, or the JSON of the error it threw. */
function callSession(page: Page, method: string, ...args: unknown[]): Promise<{ ok: boolean; value: unknown }> {
  return page.evaluate(
    ([name, params]) =>
      (window.harness.session as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name as string]!(
        ...(params as unknown[]),
      ).then(
        (value: unknown) => ({ ok: true, value }),
        (error: Partial<AthosRoleplayError>) => ({ ok: false, value: error.toJSON?.() ?? String(error) }),
      ),
    [method, args] as const,
  );
}

/** Creates a session on the harness page, not connected. */
async function createSession(page: Page, athos: { url: string }): Promise<void> {
  await page.evaluate((apiBase) => {
    window.harness.create({ token: 'ast_not_used', drillKey: 'ma-full-sale', apiBase });
  }, athos.url);
}

/** Lets the harness page connect with `token`, without waiting for anything. */
async function startWith(page: Page, athos: { url: string }, token: string): Promise<void> {
  await page.evaluate(
    (options) => {
      void window.harness.start(options);
    },
    { token, drillKey: 'ma-full-sale', apiBase: athos.url },
  );
}

async function connectResult(page: Page): Promise<ConnectResult> {
  await page.waitForFunction(() => window.harness.connectResult !== undefined);
  return page.evaluate(() => window.harness.connectResult!);
}

test.describe('a call', () => {
  test('the persona is heard through the SDK’s <audio> element; the rep’s WAV reaches the gateway in 20 ms frames', async ({
    athosPage: page,
    athos,
  }) => {
    const callId = await startCall(page, athos);
    await waitForEvent(page, 'personaSpeaking');
    await expect.poll(() => audioElementPeak(page, 1000)).toBeGreaterThan(0.05);
    const element = await page.evaluate(() => {
      const audio = document.querySelector('audio')!;
      return {
        hidden: audio.hidden,
        inBody: audio.parentElement === document.body,
        tracks: (audio.srcObject as MediaStream).getAudioTracks().length,
      };
    });
    expect(element).toEqual({ hidden: true, inBody: true, tracks: 1 });
    // Routed through the local peer-connection pair, so the echo canceller knows the sound.
    expect(await peerStates(page)).toEqual(['connected', 'connected']);

    await expect
      .poll(
        async () => {
          const stats = await athos.callStats(callId);
          return { voiced: (stats.uplinkVoicedFrames as number) > 25, loud: (stats.uplinkPeak as number) > 8_000 };
        },
        { timeout: 15_000 },
      )
      .toEqual({ voiced: true, loud: true });
    const stats = await athos.callStats(callId);
    expect((stats.uplinkBytes as number) / (stats.uplinkFrames as number)).toBe(640);
  });

  test('userSpeaking and personaSpeaking follow a real exchange, each reported only on change', async ({
    athosPage: page,
    athos,
  }) => {
    await startCall(page, athos);
    const both = [{ speaking: true }, { speaking: false }];
    await expect.poll(() => payloads(page, 'userSpeaking'), { timeout: 20_000 }).toEqual(expect.arrayContaining(both));
    await expect.poll(() => payloads(page, 'personaSpeaking'), { timeout: 20_000 }).toEqual(expect.arrayContaining(both));
    for (const name of ['userSpeaking', 'personaSpeaking'] as const) {
      const values = (await payloads(page, name)).map((payload) => payload.speaking);
      expect(values.every((value, i) => value === (i % 2 === 0))).toBe(true);
    }
  });

  test('mute() stops the uplink at once and reports not speaking; unmute() resumes it', async ({ athosPage: page, athos }) => {
    await startCall(page, athos);
    await expect.poll(() => payloads(page, 'userSpeaking'), { timeout: 15_000 }).toEqual([{ speaking: true }]);
    await callSession(page, 'mute');
    const mutedAt = await page.evaluate(() => performance.now());
    expect(await payloads(page, 'userSpeaking')).toEqual([{ speaking: true }, { speaking: false }]);
    // Two heartbeats later, nothing was sent since the mute, though the rep's WAV kept playing.
    await expect.poll(() => textSendsAfter(page, mutedAt)).toBeGreaterThanOrEqual(2);
    expect((await uplinkSends(page)).filter((at) => at > mutedAt)).toEqual([]);
    expect(await payloads(page, 'userSpeaking')).toHaveLength(2);

    await callSession(page, 'unmute');
    const unmutedAt = await page.evaluate(() => performance.now());
    await expect.poll(async () => (await uplinkSends(page)).filter((at) => at > unmutedAt).length).toBeGreaterThan(25);
  });

  test('setMicrophone() switches to another fake device mid-call; the uplink never pauses for 100 ms', async ({
    athosPage: page,
    athos,
  }) => {
    const callId = await startCall(page, athos);
    const microphones = await callSession(page, 'listMicrophones');
    const other = (microphones.value as Array<{ deviceId: string; label: string }>).find(
      (mic) => mic.label === 'Fake Audio Input 2',
    );
    expect(other).toBeDefined();
    await expect.poll(async () => (await uplinkSends(page)).length).toBeGreaterThan(25);

    const switchedFrom = await page.evaluate(() => performance.now());
    expect(await callSession(page, 'setMicrophone', other!.deviceId)).toEqual({ ok: true, value: undefined });
    const switchedAt = await page.evaluate(() => performance.now());
    await expect.poll(async () => (await uplinkSends(page)).filter((at) => at > switchedAt + 200).length).toBeGreaterThan(0);

    // From the last frame before the switch to the first one 200 ms after it.
    const sends = await uplinkSends(page);
    const around = sends.slice(
      sends.filter((at) => at < switchedFrom).length - 1,
      sends.findIndex((at) => at > switchedAt + 200) + 1,
    );
    const longestGap = Math.max(...around.slice(1).map((at, i) => at - around[i]!));
    console.log(
      `[measure] setMicrophone: took ${Math.round(switchedAt - switchedFrom)} ms; longest uplink gap around it ${Math.round(longestGap)} ms`,
    );
    expect(longestGap).toBeLessThan(100);
    // No audio went missing either: one frame per 20 ms across the switch.
    const elapsed = around.at(-1)! - around[0]!;
    expect(around.length - 1).toBeGreaterThanOrEqual(Math.floor(elapsed / 20) - 5);

    const liveDevices = await page.evaluate(() =>
      window.leakProbe.tracks.filter((track) => track.readyState === 'live').map((track) => track.getSettings().deviceId),
    );
    expect(liveDevices).toEqual([other!.deviceId]);
    expect(await payloads(page, 'error')).toEqual([]);
    expect(await page.evaluate(() => window.harness.session!.state)).toBe('connected');
    const before = (await athos.callStats(callId)).uplinkFrames as number;
    await expect.poll(async () => (await athos.callStats(callId)).uplinkFrames).toBeGreaterThan(before + 25);

    const unknown = await callSession(page, 'setMicrophone', 'no-such-microphone');
    expect(unknown).toEqual({ ok: false, value: expect.objectContaining({ code: 'INVALID_REQUEST', phase: 'media' }) });
    const afterUnknown = await page.evaluate(() => performance.now());
    await expect.poll(async () => (await uplinkSends(page)).filter((at) => at > afterUnknown).length).toBeGreaterThan(10);
  });

  test('after disconnect() no track is live, no AudioContext or peer connection is open, and the <audio> element is gone', async ({
    athosPage: page,
    athos,
  }) => {
    await startCall(page, athos);
    await waitForEvent(page, 'personaSpeaking');
    expect(await leftovers(page)).toMatchObject({ liveTracks: 1, openContexts: 2, audioElements: 1 });
    await page.evaluate(() => window.harness.session!.disconnect());
    await waitForEvent(page, 'ended');
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(await peerStates(page)).toEqual(['closed', 'closed']);
  });
});

test.describe('the microphone revoked mid-call', () => {
  test('MIC_DEVICE_DISCONNECTED once; the call and the uplink go on', async ({ athosPage: page, athos, context }) => {
    const callId = await startCall(page, athos);
    await context.clearPermissions();
    await waitForEvent(page, 'error');
    expect(await payloads(page, 'error')).toEqual([expect.objectContaining({ code: 'MIC_DEVICE_DISCONNECTED', phase: 'media' })]);
    const frames = (await athos.callStats(callId)).uplinkFrames as number;
    await expect.poll(async () => (await athos.callStats(callId)).uplinkFrames).toBeGreaterThan(frames + 25);
    expect(await page.evaluate(() => window.harness.session!.state)).toBe('connected');
    expect(await payloads(page, 'error')).toHaveLength(1);
  });
});

test.describe('microphone refused', () => {
  test.use({ permissions: [] });

  test('MIC_PERMISSION_DENIED from listMicrophones() and connect(), before redemption; the token still redeems', async ({
    athosPage: page,
    athos,
    context,
  }) => {
    await createSession(page, athos);
    expect(await callSession(page, 'listMicrophones')).toEqual({
      ok: false,
      value: expect.objectContaining({ code: 'MIC_PERMISSION_DENIED', phase: 'media' }),
    });
    const redemptions: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/roleplay/session')) redemptions.push(request.url());
    });
    const token = await athos.mintToken();
    await startWith(page, athos, token);
    expect(await connectResult(page)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'MIC_PERMISSION_DENIED', phase: 'media' }),
    });
    expect(redemptions).toEqual([]);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);

    await context.grantPermissions(['microphone']);
    await startWith(page, athos, token);
    await waitForEvent(page, 'ready');
  });
});

test.describe('no microphone', () => {
  test.use({ chromiumArgs: [...CHROMIUM_ARGS, ...AUTOPLAY_ARGS] });

  test('listMicrophones() is empty and connect() fails with NO_MIC_AVAILABLE', async ({ athosPage: page, athos }) => {
    await createSession(page, athos);
    expect(await callSession(page, 'listMicrophones')).toEqual({ ok: true, value: [] });
    await startWith(page, athos, await athos.mintToken());
    expect(await connectResult(page)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NO_MIC_AVAILABLE', phase: 'media' }),
    });
    expect(await eventNames(page)).toEqual(['connecting', 'error']);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});
