import { test as base, expect, type Page } from '@playwright/test';
// The demo page's backend (plain JavaScript), answering the page's /demo-api requests.
import { createDemoApi } from '../demo/backend.js';
// The local Athos server is plain JavaScript; it runs inside each Playwright worker.
import { startAthosServer } from '../server/index.js';
import type {} from './harness.ts'; // window.harness

/** A local Athos server of one worker, with its fault controls on. */
export interface AthosServerHandle {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Mints a fresh session token as an integrator's backend would. */
  mintToken(externalUserId?: string): Promise<string>;
  /** Calls a fault control, e.g. `fault('drop')` or `fault('stall', { seconds: 5 })`. */
  fault(name: string, body?: unknown): Promise<unknown>;
  /** What the gateway knows of a call (test-only endpoint). */
  callStats(callId: string): Promise<Record<string, unknown>>;
  /** A REST call with the API key. */
  rest(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

const API_KEY = 'ath_test_e2e';

export const test = base.extend<{ athosPage: Page; demoPage: Page; chromiumArgs: string[] | null }, { athos: AthosServerHandle }>(
  {
    /**
     * Chromium flags for a test that needs another browser than the suite's (no fake devices,
     * another autoplay policy, …). Playwright refuses `launchOptions` inside a describe group, so
     * such a test gets a browser of its own.
     */
    chromiumArgs: [null, { option: true }],
    /** Every page records what it opens, for {@link leftovers}. */
    page: async ({ context, playwright, chromiumArgs, baseURL }, use) => {
      const browser = chromiumArgs
        ? await playwright.chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
        : null;
      const owner = browser ? await browser.newContext({ baseURL, permissions: ['microphone'] }) : context;
      const page = await owner.newPage();
      await installLeakProbe(page);
      await use(page);
      await browser?.close();
    },
    athos: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring; it must be there, even empty.
      async ({}, use) => {
        const server = await startAthosServer({ port: 0, apiKey: API_KEY, faults: true });
        const post = async (path: string, body: unknown, auth?: string) => {
          const response = await fetch(`${server.url}${path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
            body: JSON.stringify(body ?? {}),
          });
          return response.json();
        };
        await use({
          url: server.url,
          async mintToken(externalUserId = 'rep-e2e') {
            const body = (await post('/api/external/v1/session', { externalUserId }, API_KEY)) as { token: string };
            return body.token;
          },
          fault: (name, body) => post(`/__faults/${name}`, body),
          async callStats(callId) {
            const response = await fetch(`${server.url}/__faults/calls/${callId}`);
            return (await response.json()) as Record<string, unknown>;
          },
          async rest(path) {
            const response = await fetch(`${server.url}/api/external/v1${path}`, {
              headers: { Authorization: `Bearer ${API_KEY}` },
            });
            return { status: response.status, body: await response.json() };
          },
        });
        await server.close();
      },
      { scope: 'worker' },
    ],
    athosPage: async ({ page, athos }, use) => {
      await athos.fault('reset');
      await page.goto('/e2e/harness.html');
      await page.waitForFunction(() => 'harness' in window);
      await use(page);
      // Leave no call running into the next test.
      await page.evaluate(() => window.harness.session?.disconnect());
    },
    /**
     * The demo page (`/demo/`) with its backend: the page's `/demo-api` requests are answered by
     * demo/backend.js against this worker's server, as `npm start` answers them.
     */
    demoPage: async ({ page, athos }, use) => {
      await athos.fault('reset');
      const demoApi = createDemoApi({ athosUrl: athos.url, apiKey: API_KEY, faults: true });
      await page.route('**/demo-api/**', async (route) => {
        const request = route.request();
        const path = new URL(request.url()).pathname.slice('/demo-api'.length);
        const { status, body } = await demoApi({ method: request.method(), path });
        await route.fulfill({ status, json: body });
      });
      await page.goto('/demo/');
      await page.locator('body[data-ready="true"]').waitFor();
      await use(page);
    },
  },
);

export { expect };

/** Event names recorded by the harness page so far. */
export function eventNames(page: Page): Promise<string[]> {
  return page.evaluate(() => window.harness.names());
}

/** Waits until the harness page has recorded `name` (at least `count` times). */
export async function waitForEvent(page: Page, name: string, count = 1, timeout = 15_000): Promise<void> {
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
export async function startCall(page: Page, athos: AthosServerHandle, options: Record<string, unknown> = {}): Promise<string> {
  const token = await athos.mintToken();
  const redemption = page.waitForResponse((response) => response.url().endsWith('/roleplay/session') && response.ok());
  await page.evaluate(
    (opts) => {
      void window.harness.start(opts);
    },
    { token, drillKey: 'ma-full-sale', apiBase: athos.url, ...options },
  );
  const { callId } = (await (await redemption).json()) as { callId: string };
  await waitForEvent(page, 'ready');
  return callId;
}

/**
 * Measures the peak level (0–1) of what the SDK's `<audio>` element plays over `ms`
 * milliseconds, through the page's own Web Audio analyser.
 */
export function audioElementPeak(page: Page, ms = 1500): Promise<number> {
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
export const NOTHING_RUNNING = { liveTracks: 0, openContexts: 0, openSockets: 0, audioElements: 0 };

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
 * Records every microphone track, AudioContext and WebSocket the page creates, for
 * {@link leftovers}. Call it before the page loads.
 */
export async function installLeakProbe(page: Page): Promise<void> {
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
 * microphone tracks, AudioContexts not closed, WebSockets not closed, and `<audio>` elements.
 */
export function leftovers(page: Page): Promise<Record<'liveTracks' | 'openContexts' | 'openSockets' | 'audioElements', number>> {
  return page.evaluate(() => {
    const probe = window.leakProbe;
    return {
      liveTracks: probe.tracks.filter((track) => track.readyState === 'live').length,
      openContexts: probe.contexts.filter((context) => context.state !== 'closed').length,
      // The page server's own socket (Vite's hot reload) is not the SDK's.
      openSockets: probe.sockets.filter(
        (socket) => socket.readyState !== WebSocket.CLOSED && new URL(socket.url).host !== location.host,
      ).length,
      audioElements: document.querySelectorAll('audio').length,
    };
  });
}
