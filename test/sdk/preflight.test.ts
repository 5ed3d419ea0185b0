import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserEnv } from '../../src/browser/BrowserEnv.ts';
import { AthosRoleplay } from '../../src/index.ts';
import { HEALTH_PATH, preflight } from '../../src/preflight/preflight.ts';
import { domException, fakeMediaEnv } from './media/fakeMediaEnv.ts';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const API_BASE = 'http://127.0.0.1:8787';
const GATEWAY = 'ws://127.0.0.1:8787/v1/voice';

/** A WebSocket to the gateway that opens (or closes, when `refuse` is set) right away. */
class FakeSocket extends EventTarget {
  static refuse = false;
  static created: FakeSocket[] = [];
  closedWith: number | undefined;
  constructor(readonly url: string) {
    super();
    FakeSocket.created.push(this);
    queueMicrotask(() => this.dispatchEvent(new Event(FakeSocket.refuse ? 'close' : 'open')));
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

function setup() {
  const media = fakeMediaEnv();
  const permissions = { query: vi.fn(async () => ({ state: 'granted' as PermissionState })) };
  const fetch = vi.fn(async (url: string, _init?: RequestInit) => {
    expect(url).toBe(`${API_BASE}${HEALTH_PATH}`);
    return new Response(JSON.stringify({ status: 'ok', connectionUrl: GATEWAY }), { status: 200 });
  });
  const env = {
    ...media.env,
    navigator: { ...media.env.navigator, userAgent: CHROME, permissions },
    window: { isSecureContext: true, HTMLMediaElement: window.HTMLMediaElement },
    fetch,
    WebSocket: FakeSocket,
    URL,
  } as unknown as BrowserEnv;
  // Every analyser hears a speaking rep unless a test says otherwise.
  const createAnalyser = media.FakeAudioContext.prototype.createAnalyser;
  const loud = vi.spyOn(media.FakeAudioContext.prototype, 'createAnalyser').mockImplementation(function (this: unknown) {
    const analyser = createAnalyser.call(this);
    analyser.amplitude = 0.1;
    return analyser;
  });
  return { ...media, env, fetch, permissions, loud };
}

/** Runs a preflight on fake timers to its end. */
async function run(env: BrowserEnv, options: Parameters<typeof preflight>[0] = { apiBase: API_BASE }) {
  const result = preflight(options, env);
  await vi.advanceTimersByTimeAsync(6_000);
  return result;
}

/** Whether everything the check opened was released. */
function released(fake: ReturnType<typeof setup>): boolean {
  return (
    fake.created.streams.every((stream) => stream.tracks.every((track) => track.readyState === 'ended')) &&
    fake.created.contexts.every((context) => context.state === 'closed') &&
    FakeSocket.created.every((socket) => socket.closedWith === 1000)
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.refuse = false;
  FakeSocket.created = [];
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('preflight()', () => {
  it('passes every item where everything works, and releases everything it opened', async () => {
    const fake = setup();
    const report = await run(fake.env);
    expect(report).toEqual({
      verdict: 'pass',
      browser: { verdict: 'pass', message: expect.any(String) },
      secureContext: { verdict: 'pass', message: expect.any(String) },
      microphone: { verdict: 'pass', message: expect.any(String), permission: 'granted', label: undefined },
      microphoneSignal: { verdict: 'pass', message: expect.any(String), peakLevel: expect.closeTo(2 / 3, 5) },
      speakers: {
        verdict: 'pass',
        message: expect.any(String),
        devices: [{ deviceId: 'speaker', label: 'Speakers' }],
        canChoose: true,
      },
      autoplay: { verdict: 'pass', message: expect.any(String) },
      api: { verdict: 'pass', message: expect.any(String), rttMs: expect.any(Number) },
      gateway: { verdict: 'pass', message: expect.any(String), connectMs: expect.any(Number) },
    });
    expect(fake.created.streams).toHaveLength(1);
    expect(FakeSocket.created.map((socket) => socket.url)).toEqual([GATEWAY]);
    expect(released(fake)).toBe(true);
    // No credential goes anywhere: the health check is anonymous.
    expect(fake.fetch.mock.calls.every(([, init]) => init?.credentials === 'omit')).toBe(true);
  });

  it('is AthosRoleplay.preflight', () => {
    expect(AthosRoleplay.preflight).toBe(preflight);
  });

  it('checks the chosen microphone', async () => {
    const fake = setup();
    await run(fake.env, { apiBase: API_BASE, microphoneId: 'mic-2' });
    expect(fake.created.streams[0]?.tracks[0]?.deviceId).toBe('mic-2');
  });

  it.each([
    ['NotAllowedError', 'MIC_PERMISSION_DENIED'],
    ['NotFoundError', 'NO_MIC_AVAILABLE'],
    ['NotReadableError', 'MIC_DEVICE_DISCONNECTED'],
  ])('fails the microphone on %s with %s, and does not listen', async (name, code) => {
    const fake = setup();
    fake.permissions.query.mockResolvedValueOnce({ state: 'denied' });
    fake.mediaDevices.getUserMedia.mockRejectedValueOnce(domException(name));
    const report = await run(fake.env);
    expect(report.verdict).toBe('fail');
    expect(report.microphone).toMatchObject({ verdict: 'fail', errorCode: code, permission: 'denied' });
    expect(report.microphoneSignal.verdict).toBe('skipped');
    expect(report.api.verdict).toBe('pass');
    expect(released(fake)).toBe(true);
  });

  it('warns about a microphone that stays silent', async () => {
    const fake = setup();
    fake.loud.mockRestore();
    const report = await run(fake.env);
    expect(report.verdict).toBe('warn');
    expect(report.microphoneSignal).toMatchObject({ verdict: 'warn', peakLevel: 0 });
    expect(report.microphoneSignal.errorCode).toBeUndefined();
  });

  it('warns that audio is blocked until a click, and then cannot listen', async () => {
    const fake = setup();
    fake.FakeAudioContext.blocked = true;
    try {
      const report = await run(fake.env);
      expect(report.autoplay).toMatchObject({ verdict: 'warn', errorCode: 'AUDIO_PLAYBACK_BLOCKED' });
      expect(report.microphoneSignal.verdict).toBe('skipped');
      expect(released(fake)).toBe(true);
    } finally {
      fake.FakeAudioContext.blocked = false;
    }
  });

  it('fails an unsupported browser and an insecure page with the codes a call would get', async () => {
    const fake = setup();
    const env = {
      ...fake.env,
      navigator: { ...fake.env.navigator, userAgent: 'Mozilla/5.0 (iPhone) Mobile Safari' },
      window: { ...fake.env.window, isSecureContext: false },
    } as BrowserEnv;
    const report = await run(env);
    expect(report.browser).toMatchObject({ verdict: 'fail', errorCode: 'BROWSER_NOT_SUPPORTED' });
    expect(report.secureContext).toMatchObject({ verdict: 'fail', errorCode: 'NO_MIC_AVAILABLE' });
  });

  it('fails the API when the server is down (network failure), and skips the gateway', async () => {
    const fake = setup();
    fake.fetch.mockRejectedValue(new TypeError('Failed to fetch'));
    const report = await run(fake.env);
    expect(report.api).toMatchObject({ verdict: 'fail', errorCode: 'INTERNAL_ERROR', rttMs: undefined });
    expect(report.gateway.verdict).toBe('skipped');
    expect(FakeSocket.created).toEqual([]);
  });

  it.each([
    [503, 'fail', 'SERVICE_UNAVAILABLE'],
    [500, 'fail', 'INTERNAL_ERROR'],
    [404, 'warn', undefined],
  ])('judges an HTTP %i from the health check as %s', async (status, verdict, errorCode) => {
    const fake = setup();
    fake.fetch.mockResolvedValue(new Response('{}', { status }));
    const report = await run(fake.env);
    expect(report.api).toMatchObject({ verdict });
    expect(report.api.errorCode).toBe(errorCode);
    expect(report.gateway.verdict).toBe('skipped');
  });

  it('fails an invalid apiBase with INVALID_REQUEST without any request', async () => {
    const fake = setup();
    const report = await run(fake.env, { apiBase: 'http://athos.example.com' });
    expect(report.api).toMatchObject({ verdict: 'fail', errorCode: 'INVALID_REQUEST' });
    expect(fake.fetch).not.toHaveBeenCalled();
  });

  it('fails a gateway that refuses the connection, and one the API names badly', async () => {
    const refused = setup();
    FakeSocket.refuse = true;
    expect((await run(refused.env)).gateway).toMatchObject({ verdict: 'fail', errorCode: 'SERVICE_UNAVAILABLE' });
    FakeSocket.refuse = false;
    expect(released(refused)).toBe(true);

    const badUrl = setup();
    badUrl.fetch.mockImplementation(async () => new Response(JSON.stringify({ connectionUrl: 'ws://gateway.example.com/v1' })));
    expect((await run(badUrl.env)).gateway).toMatchObject({ verdict: 'fail', errorCode: 'INTERNAL_ERROR' });
  });

  it('rejects with the reason of an aborted signal, having released the microphone and the audio', async () => {
    const fake = setup();
    const abort = new AbortController();
    const result = preflight({ apiBase: API_BASE, signal: abort.signal }, fake.env).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(200);
    abort.abort(new Error('cancelled'));
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await result).toEqual(new Error('cancelled'));
    expect(released(fake)).toBe(true);
  });

  it('where there is no browser, fails the browser item and checks nothing else', async () => {
    vi.stubGlobal('navigator', undefined);
    const report = await preflight({});
    vi.unstubAllGlobals();
    expect(report.verdict).toBe('fail');
    expect(report.browser).toMatchObject({ errorCode: 'BROWSER_NOT_SUPPORTED', message: expect.stringContaining('browser') });
    const others = Object.entries(report).filter(([name]) => name !== 'verdict' && name !== 'browser');
    expect(others.every(([, check]) => (check as { verdict: string }).verdict === 'skipped')).toBe(true);
  });
});
