/**
 * What the tests read from and do to the harness page (e2e/harness.ts), in either engine: each
 * helper takes a {@link ScenarioPage}, which Playwright's Page also is.
 */
import { expect } from '@playwright/test';
import type { AthosErrorCode, AthosEventName, AthosRoleplayError } from '../src/index.ts';
import type { ScenarioPage } from './browsers/ScenarioPage.ts';
import type { ConnectResult, RecordedEvent, RecordedPayload } from './harness.ts';
import { addWorkerProbeOnLoad, installWorkerProbe, resourceProbe, socketTraffic, trafficProbe } from './workerProbe.ts';

/** The local Athos server as the helpers need it (see `AthosServerHandle` in fixtures.ts). */
interface AthosServer {
  url: string;
  mintToken(): Promise<string>;
}

/** Event names recorded by the harness page so far. */
export function eventNames(page: ScenarioPage): Promise<string[]> {
  return page.evaluate(() => window.harness.names());
}

/** Waits until the harness page has recorded `name` (at least `count` times). */
export async function waitForEvent(page: ScenarioPage, name: string, count = 1, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    ([wanted, times]) => window.harness.names().filter((n: string) => n === wanted).length >= (times as number),
    [name, count] as const,
    { timeout },
  );
}

/**
 * Starts a call on the harness page against this worker's server and waits for `ready`.
 * Returns the call id.
 */
export async function startCall(page: ScenarioPage, athos: AthosServer, options: Record<string, unknown> = {}): Promise<string> {
  const token = await athos.mintToken();
  await page.evaluate(
    (opts) => {
      void window.harness.start(opts);
    },
    { token, drillKey: 'ma-full-sale', apiBase: athos.url, ...options },
  );
  await waitForEvent(page, 'ready');
  return page.evaluate(() => window.harness.callId as string);
}

/**
 * Measures the peak level (0–1) of what the SDK's `<audio>` element plays over `ms`
 * milliseconds, through the page's own Web Audio analyser.
 */
export function audioElementPeak(page: ScenarioPage, ms = 1500): Promise<number> {
  return page.evaluate(async (duration) => {
    const element = document.querySelector('audio');
    if (!element) return -1;
    const stream =
      (element.srcObject as MediaStream | null) ??
      (element as HTMLAudioElement & { captureStream?(): MediaStream }).captureStream?.();
    if (!stream) return -1;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let peak = 0;
    const until = performance.now() + duration;
    while (performance.now() < until) {
      analyser.getFloatTimeDomainData(data);
      for (const sample of data) peak = Math.max(peak, Math.abs(sample));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await context.close();
    return peak;
  }, ms);
}

/** What {@link leftovers} says once a call is over and the SDK released everything. */
export const NOTHING_RUNNING = { liveTracks: 0, openContexts: 0, openSockets: 0, audioElements: 0, workers: 0, openCodecs: 0 };

/** What {@link installLeakProbe} records, as `window.leakProbe`. */
export interface LeakProbe {
  tracks: MediaStreamTrack[];
  contexts: AudioContext[];
  sockets: WebSocket[];
}

declare global {
  interface Window {
    leakProbe: LeakProbe;
  }
}

/**
 * Records every microphone track, AudioContext, WebSocket and Worker the page creates, and in
 * every Worker the WebSockets and the WebCodecs encoders and decoders, for {@link leftovers}.
 * Call it before the page loads.
 */
export async function installLeakProbe(page: ScenarioPage): Promise<void> {
  await installWorkerProbe(page);
  await addWorkerProbeOnLoad(page, resourceProbe);
  await page.addInitScript(() => {
    const probe: LeakProbe = { tracks: [], contexts: [], sockets: [] };
    Object.assign(window, { leakProbe: probe });
    const media = navigator.mediaDevices;
    if (media) {
      const getUserMedia = media.getUserMedia.bind(media);
      media.getUserMedia = async (constraints) => {
        const stream = await getUserMedia(constraints);
        probe.tracks.push(...stream.getTracks());
        return stream;
      };
    }
    window.AudioContext = class extends window.AudioContext {
      constructor(options?: AudioContextOptions) {
        super(options);
        probe.contexts.push(this);
      }
    };
    window.WebSocket = class extends window.WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        probe.sockets.push(this);
      }
    };
  });
}

/**
 * What the page still holds of everything recorded by {@link installLeakProbe}: live
 * microphone tracks, AudioContexts not closed, WebSockets not closed (in the page or a Worker),
 * `<audio>` elements, Workers not terminated, and WebCodecs encoders and decoders not closed.
 */
export function leftovers(page: ScenarioPage): Promise<typeof NOTHING_RUNNING> {
  return page.evaluate(() => {
    const probe = window.leakProbe;
    // The latest count each Worker reported.
    const latest = new Map<string, { sockets: number; codecs: number }>();
    for (const report of window.workerProbe.reports) {
      if (report.kind === 'resources') latest.set(report.worker, report as unknown as { sockets: number; codecs: number });
    }
    const inWorkers = (what: 'sockets' | 'codecs') => [...latest.values()].reduce((sum, counts) => sum + counts[what], 0);
    return {
      liveTracks: probe.tracks.filter((track) => track.readyState === 'live').length,
      openContexts: probe.contexts.filter((context) => context.state !== 'closed').length,
      // The page server's own socket (Vite's hot reload) is not the SDK's.
      openSockets:
        probe.sockets.filter((socket) => socket.readyState !== WebSocket.CLOSED && new URL(socket.url).host !== location.host)
          .length + inWorkers('sockets'),
      audioElements: document.querySelectorAll('audio').length,
      workers: window.workerProbe.workers.filter((worker) => !worker.terminated).length,
      openCodecs: inWorkers('codecs'),
    };
  });
}

export {
  addWorkerProbe,
  framesMissing,
  longestPause,
  recordSocketTraffic,
  type SocketTraffic,
  socketTraffic,
  uplinkSends,
  uplinkSpan,
  withoutWebCodecs,
} from './workerProbe.ts';
export type { ConnectResult, RecordedEvent };

/** Every event the harness page recorded so far. */
export function recordedEvents(page: ScenarioPage): Promise<RecordedEvent[]> {
  return page.evaluate(() => window.harness.events);
}

/** The payloads of the recorded events named `name`. */
export async function payloads<K extends AthosEventName>(page: ScenarioPage, name: K): Promise<RecordedPayload<K>[]> {
  return (await recordedEvents(page)).filter((event) => event.name === name).map((event) => event.payload as RecordedPayload<K>);
}

/** The payloads of the `error` events recorded so far (their JSON form). */
export function errorEvents(page: ScenarioPage): Promise<RecordedPayload<'error'>[]> {
  return payloads(page, 'error');
}

/** The recorded events other than the speaking flags, with their payloads. */
export async function callEvents(page: ScenarioPage): Promise<Array<Pick<RecordedEvent, 'name' | 'payload'>>> {
  return (await recordedEvents(page))
    .filter((event) => !event.name.endsWith('Speaking'))
    .map(({ name, payload }) => ({ name, payload }));
}

/** When (page `performance.now()` ms) the harness recorded each `name` event. */
export async function eventTimes(page: ScenarioPage, name: string): Promise<number[]> {
  return (await recordedEvents(page)).filter((event) => event.name === name).map((event) => event.at);
}

/** The page's `performance.now()`. */
export const pageNow = (page: ScenarioPage): Promise<number> => page.evaluate(() => performance.now());

/** The session's lifecycle state. */
export function sessionState(page: ScenarioPage): Promise<string | undefined> {
  return page.evaluate(() => window.harness.session?.state);
}

/** Calls a session method in the page; resolves with its result, or the JSON of the error it threw. */
export function callSession(page: ScenarioPage, method: string, ...args: unknown[]): Promise<{ ok: boolean; value: unknown }> {
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
export async function createSession(page: ScenarioPage, athos: { url: string }): Promise<void> {
  await page.evaluate((apiBase) => {
    window.harness.create({ token: 'ast_not_used', drillKey: 'ma-full-sale', apiBase });
  }, athos.url);
}

/** Starts a session on the harness page against `server`, without waiting for anything. */
export async function startWith(page: ScenarioPage, server: { url: string }, options: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (opts) => {
      const { harness } = window;
      harness.connectResult = undefined;
      void harness.start(opts as Parameters<typeof harness.start>[0]);
    },
    { drillKey: 'ma-full-sale', apiBase: server.url, ...options },
  );
}

/** How `connect()` settled, once it has. */
export async function connectResult(page: ScenarioPage): Promise<ConnectResult> {
  await page.waitForFunction(() => window.harness.connectResult !== undefined, undefined);
  return page.evaluate(() => window.harness.connectResult as ConnectResult);
}

/** How many token redemptions the page started. */
export function redemptionsStarted(page: ScenarioPage): Promise<number> {
  return page.evaluate(() => window.harness.redemptions.length);
}

/**
 * Checks a failed start: `connect()` rejected with `code` and `fields`, the `error` event
 * carried the very same error, the session ended, and nothing is left running.
 */
export async function expectConnectRejected(
  page: ScenarioPage,
  code: AthosErrorCode,
  fields: Record<string, unknown>,
): Promise<void> {
  const result = await connectResult(page);
  expect(result).toEqual({ ok: false, error: expect.objectContaining({ code, ...fields, sameAsEvent: true }) });
  expect(await errorEvents(page)).toEqual([expect.objectContaining({ code })]);
  expect(await sessionState(page)).toBe('ended');
  await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
}

/** Waits until the persona starts speaking after page time `after`. */
export function waitForPersonaSpeech(page: ScenarioPage, after: number, timeout = 30_000): Promise<unknown> {
  return page.waitForFunction(
    (since) =>
      window.harness.events.some((event) => event.name === 'personaSpeaking' && event.payload.speaking && event.at > since),
    after,
    { timeout },
  );
}

/** Lets the page run every task already queued, and those they queue in turn, twice over. */
export const settle = (page: ScenarioPage) =>
  page.evaluate(async () => {
    for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

/**
 * Waits, through a microphone stream of its own, until the rep's looping sentence starts
 * (loud after at least 300 ms of quiet), and resolves with that moment (the page's
 * `performance.now()`). The sentence (e2e/fixtures/rep-speech.wav) is two stretches of speech
 * from there: 0–2.36 s and 2.86–5.9 s, then 4.4 s of silence before it starts again.
 */
export function waitForRepToStartSpeaking(page: ScenarioPage): Promise<number> {
  return page.evaluate(async () => {
    // Unprocessed, so that the pauses are silent: noise suppression and gain control would
    // make a floor of their own.
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let quietSince: number | undefined;
    const until = performance.now() + 30_000;
    try {
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        analyser.getFloatTimeDomainData(samples);
        const peak = samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
        const now = performance.now();
        if (peak < 0.01) quietSince ??= now;
        else if (peak > 0.05 && quietSince !== undefined && now - quietSince >= 300) return now;
        else if (peak >= 0.01) quietSince = undefined;
      }
      throw new Error('The rep did not start speaking within 30 s.');
    } finally {
      for (const track of stream.getTracks()) track.stop();
      await context.close();
    }
  });
}

/** What installMediaProbe records, as `window.mediaProbe`. */
export interface MediaProbe {
  peers: RTCPeerConnection[];
}

declare global {
  interface Window {
    mediaProbe: MediaProbe;
  }
}

/**
 * Records what the SDK's Worker sends on its WebSocket, binary (uplink audio) and text (control
 * messages, among them a heartbeat every second), and every RTCPeerConnection the page makes.
 * Call it after {@link installLeakProbe}, before the page loads.
 */
export async function installMediaProbe(page: ScenarioPage): Promise<void> {
  await addWorkerProbeOnLoad(page, trafficProbe);
  await page.addInitScript(() => {
    const probe: MediaProbe = { peers: [] };
    Object.assign(window, { mediaProbe: probe });
    window.RTCPeerConnection = class extends window.RTCPeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        probe.peers.push(this);
      }
    };
  });
}

/** How many text frames (control messages) the SDK sent after `at`. */
export const textSendsAfter = async (page: ScenarioPage, at: number): Promise<number> =>
  (await socketTraffic(page)).flatMap((socket) => socket.sent).filter((sent) => sent.at > at).length;

/** The connection state of every RTCPeerConnection the page made. */
export const peerStates = (page: ScenarioPage): Promise<string[]> =>
  page.evaluate(() => window.mediaProbe.peers.map((peer: RTCPeerConnection) => peer.connectionState));

/** The seqs of the audio frames each socket received, in order. */
export async function receivedSeqs(page: ScenarioPage): Promise<number[][]> {
  return (await socketTraffic(page)).map((socket) => socket.seqs);
}

/**
 * How long the SDK took to call the link dead: from the last thing the first socket received to
 * `reconnecting`. The link stopped after that last message, so this bounds the detection time.
 */
export async function detectionTime(page: ScenarioPage): Promise<number> {
  const [reconnectingAt] = await eventTimes(page, 'reconnecting');
  const [first] = await socketTraffic(page);
  return (reconnectingAt as number) - (first?.lastMessageAt as number);
}

/** Reports a measured figure in the test output. */
export function report(what: string, ms: number): void {
  console.log(`[measure] ${what}: ${Math.round(ms)} ms`);
}
