import { type BrowserEnv, browserEnv } from '../browser/BrowserEnv.ts';
import { detectBrowserSupport } from '../browser/detectBrowserSupport.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { AudioLevel } from '../media/AudioLevel.ts';
import { audioOutputs, requestMicrophone, stopTracks } from '../media/mediaDevices.ts';
import { microphoneError } from '../media/microphoneError.ts';
import { canChooseSpeaker } from '../media/speakers.ts';
import { resolveApiBase } from '../session/options.ts';
import { sleep, withDeadline } from '../utils/abortable.ts';
import { isSecureOrLocal } from '../utils/url.ts';
import type { AthosPreflightCheck, AthosPreflightOptions, AthosPreflightReport } from './report.ts';

/** The unauthenticated health endpoint, relative to `apiBase`. */
export const HEALTH_PATH = '/api/external/v1/health';

/** How long to listen to the microphone by default, and the bounds of `listenMs`. */
const LISTEN_MS = { default: 1_500, min: 500, max: 5_000 } as const;
/** How often the level is sampled while listening. */
const SAMPLE_EVERY_MS = 50;
/** A level at least this high (about -45 dBFS) is a signal: speech is far above, a dead or muted microphone far below. */
export const SIGNAL_LEVEL = 0.25;
/** How long a suspended AudioContext may take to start before audio counts as blocked. */
const AUDIO_START_TIMEOUT_MS = 1_000;
/** How long each network check may take. */
const NETWORK_TIMEOUT_MS = 5_000;

type MediaChecks = Pick<AthosPreflightReport, 'microphone' | 'microphoneSignal' | 'speakers' | 'autoplay'>;
type NetworkChecks = Pick<AthosPreflightReport, 'api' | 'gateway'>;

const pass = (message: string): AthosPreflightCheck => ({ verdict: 'pass', message });
const skipped = (message: string): AthosPreflightCheck => ({ verdict: 'skipped', message });
const problem = (verdict: 'warn' | 'fail', message: string, errorCode?: AthosRoleplayError['code']): AthosPreflightCheck =>
  errorCode === undefined ? { verdict, message } : { verdict, message, errorCode };

/**
 * Checks, without a token and without spending anything, whether a call can work here: browser
 * support, a secure context, the microphone (permission, and whether it carries sound while it
 * listens), the speakers, whether audio may start without a click, and whether `apiBase` and
 * its voice gateway answer. Resolves with one report, a verdict per item and the error code a
 * real call would report for each problem. Every device it opened is released before it
 * resolves. It may prompt for the microphone; run it from a click so the audio check reflects
 * a call started from one. Rejects only when `options.signal` aborts (with its reason).
 *
 * @param env - internal seam for tests; leave it out.
 */
export async function preflight(
  options: AthosPreflightOptions = {},
  env: BrowserEnv | undefined = typeof navigator === 'undefined' ? undefined : browserEnv(),
): Promise<AthosPreflightReport> {
  const { signal, apiBase, microphoneId, listenMs } = (
    typeof options === 'object' && options !== null ? options : {}
  ) as AthosPreflightOptions;
  signal?.throwIfAborted();
  if (!env) return report(serverSideReport());
  const [media, network] = await Promise.allSettled([
    checkMedia(env, typeof microphoneId === 'string' ? microphoneId : undefined, listeningTime(listenMs), signal),
    checkNetwork(env, apiBase, signal),
  ]);
  // Both have released what they opened by now, whichever way they settled.
  if (media.status === 'rejected') throw media.reason;
  if (network.status === 'rejected') throw network.reason;
  return report({ browser: checkBrowser(env), secureContext: checkSecureContext(env), ...media.value, ...network.value });
}

function report(checks: Omit<AthosPreflightReport, 'verdict'>): AthosPreflightReport {
  const verdicts = Object.values(checks).map((check) => check.verdict);
  const verdict = verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : 'pass';
  return { verdict, ...checks };
}

function listeningTime(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return LISTEN_MS.default;
  return Math.min(LISTEN_MS.max, Math.max(LISTEN_MS.min, value));
}

function checkBrowser(env: BrowserEnv): AthosPreflightCheck {
  const support = detectBrowserSupport(env.navigator.userAgent);
  if (support.supported) return pass('This browser is supported.');
  return problem(
    'fail',
    `This browser is not supported (${support.reason}); use desktop Chrome, Edge or Firefox.`,
    'BROWSER_NOT_SUPPORTED',
  );
}

function checkSecureContext(env: BrowserEnv): AthosPreflightCheck {
  if (env.window.isSecureContext) return pass('The page is a secure context.');
  return problem(
    'fail',
    'The page is not a secure context (plain http: on a host other than localhost), so the browser hides the microphone; serve it over HTTPS.',
    'NO_MIC_AVAILABLE',
  );
}

async function checkMedia(
  env: BrowserEnv,
  microphoneId: string | undefined,
  listenMs: number,
  signal: AbortSignal | undefined,
): Promise<MediaChecks> {
  const permission = await microphonePermission(env);
  let stream: MediaStream | undefined;
  let audioContext: AudioContext | undefined;
  try {
    let microphone: MediaChecks['microphone'];
    try {
      stream = await openMicrophone(env, microphoneId, signal);
      const label = stream.getAudioTracks()[0]?.label || undefined;
      microphone = { ...pass(`The microphone${label ? ` "${label}"` : ''} opened.`), permission, label };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const failure = AthosRoleplayError.is(error) ? error : microphoneError(error);
      microphone = { ...problem('fail', failure.message, failure.code), permission, label: undefined };
    }
    audioContext = new env.AudioContext();
    const audioRuns = await startAudio(audioContext);
    const autoplay = audioRuns
      ? pass('Audio may start without a click.')
      : problem(
          'warn',
          'The browser blocks audio until the user clicks the page: start the call from a click, or show a button that calls resumeAudio().',
          'AUDIO_PLAYBACK_BLOCKED',
        );
    let microphoneSignal: MediaChecks['microphoneSignal'];
    if (!stream) microphoneSignal = { ...skipped('Not checked: the microphone did not open.'), peakLevel: 0 };
    else if (!audioRuns) microphoneSignal = { ...skipped('Not checked: audio is blocked until a click.'), peakLevel: 0 };
    else microphoneSignal = await listen(audioContext, stream, listenMs, signal);
    return { microphone, microphoneSignal, autoplay, speakers: await checkSpeakers(env) };
  } finally {
    if (stream) stopTracks(stream);
    audioContext?.close().catch(() => undefined);
  }
}

/** What the browser says about the microphone permission before anything asks for it. */
async function microphonePermission(env: BrowserEnv): Promise<PermissionState | 'unknown'> {
  try {
    const status = await env.navigator.permissions?.query({ name: 'microphone' as PermissionName });
    return status?.state ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Opens the microphone; one granted after an abort is released at once. */
async function openMicrophone(
  env: BrowserEnv,
  deviceId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<MediaStream> {
  const request = requestMicrophone(env, deviceId);
  try {
    return await withDeadline(request, { signal });
  } catch (error) {
    if (signal?.aborted) request.then(stopTracks, () => undefined);
    throw error;
  }
}

/** Whether `audioContext` runs, starting it if it is suspended. */
async function startAudio(audioContext: AudioContext): Promise<boolean> {
  if (audioContext.state !== 'running') {
    const resumed = audioContext.resume().catch(() => undefined);
    await withDeadline(resumed, { ms: AUDIO_START_TIMEOUT_MS });
  }
  return audioContext.state === 'running';
}

/** Listens to `stream` for `listenMs` and judges the loudest level heard. */
async function listen(
  audioContext: AudioContext,
  stream: MediaStream,
  listenMs: number,
  signal: AbortSignal | undefined,
): Promise<MediaChecks['microphoneSignal']> {
  const level = new AudioLevel(audioContext);
  const source = audioContext.createMediaStreamSource(stream);
  level.listenTo(source);
  let peakLevel = 0;
  try {
    for (let sample = 0; sample < Math.ceil(listenMs / SAMPLE_EVERY_MS); sample += 1) {
      await sleep(SAMPLE_EVERY_MS, signal);
      peakLevel = Math.max(peakLevel, level.read());
    }
  } finally {
    source.disconnect();
  }
  const heard = `the loudest level was ${peakLevel.toFixed(2)} in ${(listenMs / 1000).toFixed(1)} s`;
  if (peakLevel >= SIGNAL_LEVEL) return { ...pass(`The microphone carries sound: ${heard}.`), peakLevel };
  return {
    ...problem(
      'warn',
      `The microphone is silent: ${heard}. Speak during the check; if it stays silent, check the microphone's mute switch or pick another one.`,
    ),
    peakLevel,
  };
}

async function checkSpeakers(env: BrowserEnv): Promise<MediaChecks['speakers']> {
  const canChoose = canChooseSpeaker(env);
  try {
    const devices = (await audioOutputs(env)).map(({ deviceId, label }) => ({ deviceId, label }));
    if (devices.length === 0) {
      return { ...problem('warn', 'The browser lists no speaker; the persona plays on the default output.'), devices, canChoose };
    }
    const choice = canChoose ? 'setSpeaker() can pick one' : 'this browser plays on the default one only';
    return { ...pass(`${devices.length} speaker(s) listed; ${choice}.`), devices, canChoose };
  } catch (error) {
    const message = AthosRoleplayError.is(error) ? error.message : 'The speakers could not be listed.';
    return { ...problem('warn', message), devices: [], canChoose };
  }
}

async function checkNetwork(env: BrowserEnv, apiBase: unknown, signal: AbortSignal | undefined): Promise<NetworkChecks> {
  let base: string;
  try {
    base = resolveApiBase(apiBase);
  } catch (error) {
    const failure = error as AthosRoleplayError;
    return {
      api: { ...problem('fail', failure.message, failure.code), rttMs: undefined },
      gateway: { ...skipped('Not checked: apiBase is not valid.'), connectMs: undefined },
    };
  }
  const url = `${base}${HEALTH_PATH}`;
  let connectionUrl: unknown;
  let rttMs: number;
  try {
    // The first request opens the connection; the second measures one round trip on it.
    const first = await get(env, url, signal);
    if (!first.ok) return unhealthy(base, first.status);
    const startedAt = performance.now();
    const second = await get(env, url, signal);
    rttMs = Math.round(performance.now() - startedAt);
    if (!second.ok) return unhealthy(base, second.status);
    connectionUrl = ((await second.json().catch(() => undefined)) as { connectionUrl?: unknown } | undefined)?.connectionUrl;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const timedOut = (error as { name?: unknown }).name === 'TimeoutError';
    return {
      api: {
        ...problem(
          'fail',
          timedOut ? `${base} did not answer within 5 seconds.` : `Could not reach ${base} (network failure).`,
          timedOut ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR',
        ),
        rttMs: undefined,
      },
      gateway: { ...skipped('Not checked: the API did not answer.'), connectMs: undefined },
    };
  }
  return { api: { ...pass(`${base} answers.`), rttMs }, gateway: await checkGateway(env, connectionUrl, signal) };
}

/** One GET of the health endpoint, bounded by {@link NETWORK_TIMEOUT_MS}. */
function get(env: BrowserEnv, url: string, signal: AbortSignal | undefined): Promise<Response> {
  const timeout = AbortSignal.timeout(NETWORK_TIMEOUT_MS);
  return env.fetch(url, {
    credentials: 'omit',
    cache: 'no-store',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
}

function unhealthy(base: string, status: number): NetworkChecks {
  const gateway = { ...skipped('Not checked: the API did not say where it is.'), connectMs: undefined };
  if (status === 503 || status === 429) {
    return {
      api: { ...problem('fail', `${base} is unavailable (HTTP ${status}).`, 'SERVICE_UNAVAILABLE'), rttMs: undefined },
      gateway,
    };
  }
  if (status >= 500) {
    return { api: { ...problem('fail', `${base} failed (HTTP ${status}).`, 'INTERNAL_ERROR'), rttMs: undefined }, gateway };
  }
  const message = `${base} answers, but not its health check (HTTP ${status}): is apiBase right?`;
  return { api: { ...problem('warn', message), rttMs: undefined }, gateway };
}

async function checkGateway(
  env: BrowserEnv,
  connectionUrl: unknown,
  signal: AbortSignal | undefined,
): Promise<AthosPreflightReport['gateway']> {
  let url: URL | undefined;
  try {
    url = typeof connectionUrl === 'string' ? new env.URL(connectionUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !isSecureOrLocal(url, 'wss:', 'ws:')) {
    const message = 'The API named no valid voice gateway (a wss: URL, or ws: on localhost).';
    return { ...problem('fail', message, 'INTERNAL_ERROR'), connectMs: undefined };
  }
  const startedAt = performance.now();
  const socket = new env.WebSocket(url.href);
  const listeners = new AbortController();
  try {
    const opened = new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { signal: listeners.signal });
      socket.addEventListener('close', () => reject(new Error('closed')), { signal: listeners.signal });
    });
    await withDeadline(opened, {
      signal,
      ms: NETWORK_TIMEOUT_MS,
      onTimeout: () => {
        throw new Error('timeout');
      },
    });
    return {
      ...pass(`The voice gateway ${url.host} accepts connections.`),
      connectMs: Math.round(performance.now() - startedAt),
    };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const message = `The voice gateway ${url.host} did not accept a connection (${(error as Error).message}): a proxy or firewall may block WebSockets.`;
    return { ...problem('fail', message, 'SERVICE_UNAVAILABLE'), connectMs: undefined };
  } finally {
    listeners.abort();
    // Closed before saying anything: the gateway forgets the socket, nothing is spent.
    socket.close(1000);
  }
}

/** The report where there is no browser at all (server-side rendering). */
function serverSideReport(): Omit<AthosPreflightReport, 'verdict'> {
  const notChecked = skipped('Not checked: there is no browser here.');
  return {
    browser: problem(
      'fail',
      'preflight() must run in the browser (from an event handler or an effect): there is no navigator here.',
      'BROWSER_NOT_SUPPORTED',
    ),
    secureContext: notChecked,
    microphone: { ...notChecked, permission: 'unknown', label: undefined },
    microphoneSignal: { ...notChecked, peakLevel: 0 },
    speakers: { ...notChecked, devices: [], canChoose: false },
    autoplay: notChecked,
    api: { ...notChecked, rttMs: undefined },
    gateway: { ...notChecked, connectMs: undefined },
  };
}
