/**
 * The QA demo page. It starts calls the way an integrator would (a token from its own backend,
 * then `create()` and `connect()`), shows everything the SDK reports, and, when the local
 * server runs with fault controls, breaks calls on purpose.
 */
import {
  ATHOS_DRILL_KEYS,
  ATHOS_EVENT_NAMES,
  type AthosDifficulty,
  type AthosPersona,
  AthosRoleplayError,
  create,
  detectBrowserSupport,
  type RoleplaySession,
} from '../src/index.ts';
import { LevelMeter } from './levelMeter.ts';
import { RECOVERY } from './recovery.ts';

/** The SDK ends a call that has not come back this long after a drop (the contract's 30 s). */
const RECONNECT_WINDOW_MS = 30_000;

interface DemoConfig {
  apiBase: string;
  faults: boolean;
}

/** What the error panel shows: an SDK error's JSON form, or an error of the demo backend. */
type ErrorReport = { code: string; message: string } & Record<string, unknown>;

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

const ui = {
  serverUrl: element('server-url'),
  faultsBadge: element('faults-badge'),
  supportBanner: element('support-banner'),
  setup: element<HTMLFormElement>('setup'),
  drill: element<HTMLSelectElement>('drill'),
  difficulty: element<HTMLSelectElement>('difficulty'),
  stateFilter: element<HTMLInputElement>('state-filter'),
  start: element<HTMLButtonElement>('start'),
  state: element('state'),
  reconnectBanner: element('reconnect-banner'),
  enableAudio: element<HTMLButtonElement>('enable-audio'),
  persona: element('persona'),
  personaName: element('persona-name'),
  personaDetails: element('persona-details'),
  personaSpeaking: element('persona-speaking'),
  userSpeaking: element('user-speaking'),
  level: element<HTMLMeterElement>('level'),
  levelNote: element('level-note'),
  microphone: element<HTMLSelectElement>('microphone'),
  mute: element<HTMLButtonElement>('mute'),
  end: element<HTMLButtonElement>('end'),
  errorPanel: element('error-panel'),
  errorCode: element('error-code'),
  errorMessage: element('error-message'),
  errorRecovery: element('error-recovery'),
  errorFields: element('error-fields'),
  result: element('result'),
  resultCallId: element('result-call-id'),
  resultDuration: element('result-duration'),
  resultScore: element('result-score'),
  resultStatus: element('result-status'),
  transcript: element('transcript'),
  qa: element('qa'),
  faultStatus: element('fault-status'),
  reuseToken: element<HTMLButtonElement>('qa-reuse-token'),
  log: element('log'),
};

let config: DemoConfig | undefined;
let session: RoleplaySession | undefined;
let lastToken: string | undefined;
let reconnectTimer: ReturnType<typeof setInterval> | undefined;
let muted = false;
/** The last `error` event's error, to tell whether `connect()` rejected with the same one. */
let lastError: unknown;
/** Whether the current call went live: only such a call is recorded and scored by Athos. */
let wentLive = false;
const meter = new LevelMeter((level) => {
  ui.level.value = level;
});

// ---------------------------------------------------------------------------------------------
// The demo backend and the server's fault controls

/** Calls the demo's own backend (demo/backend.js), which holds the API key. */
async function backend<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const response = await fetch(`/demo-api${path}`, { method });
  const body = await response.json();
  if (!response.ok)
    throw Object.assign(new Error(body?.error?.message ?? `HTTP ${response.status}`), { body, status: response.status });
  return body as T;
}

/** Calls one of the local server's `/__faults` controls, then shows the fault state. */
async function fault(name: string, body: Record<string, unknown> = {}): Promise<void> {
  if (!config) return;
  const response = await fetch(`${config.apiBase}/__faults/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  note(`QA ${name} ${JSON.stringify(body)} → HTTP ${response.status}`, await response.json());
  await showFaultStatus();
}

async function showFaultStatus(): Promise<void> {
  if (!config) return;
  const snapshot = await (await fetch(`${config.apiBase}/__faults`)).json();
  const parts = [`tenant ${snapshot.tenant}`];
  if (snapshot.stalledUntil) parts.push(`stalled until ${clock(new Date(snapshot.stalledUntil))}`);
  if (snapshot.refusingReconnectsUntil)
    parts.push(`reconnects refused until ${clock(new Date(snapshot.refusingReconnectsUntil))}`);
  const next = snapshot.nextRedemption;
  if (next) parts.push(`next redemption fails with ${next.status} ${next.code} (×${next.remaining})`);
  ui.faultStatus.textContent = `Server faults: ${parts.join(' · ')}`;
}

// ---------------------------------------------------------------------------------------------
// Starting and watching a call

interface StartOverrides {
  token?: string;
  drillKey?: string;
}

/**
 * Starts a call as an integrator would: a fresh token from the backend (unless a QA action
 * hands one in), then `create()`, handlers, `connect()`.
 */
async function startCall(overrides: StartOverrides = {}): Promise<void> {
  if (!config) return;
  resetCallView();
  setBusy(true);
  let token = overrides.token;
  if (token === undefined) {
    try {
      ({ token } = await backend<{ token: string }>('POST', '/token'));
    } catch (error) {
      showError(backendReport('POST /demo-api/token', error));
      setBusy(false);
      return;
    }
  }
  lastToken = token;
  ui.reuseToken.disabled = false;

  const state = ui.stateFilter.value.trim();
  let current: RoleplaySession;
  try {
    current = create({
      token,
      drillKey: overrides.drillKey ?? ui.drill.value,
      difficulty: ui.difficulty.value as AthosDifficulty,
      filters: state ? { state } : undefined,
      apiBase: config.apiBase,
      debug: true,
    });
  } catch (error) {
    note('create() threw', error);
    showError(reportOf(error));
    setBusy(false);
    return;
  }
  session = current;
  watch(current);
  await current.connect().then(
    () => note('connect() resolved'),
    (error: unknown) => note(`connect() rejected${error === lastError ? ' with the same error as the error event' : ''}`, error),
  );
  if (current.state === 'ended') setBusy(false);
}

function watch(current: RoleplaySession): void {
  for (const name of ATHOS_EVENT_NAMES) {
    current.on(name, (payload: unknown) => {
      if (current !== session) return;
      logEntry('event', name, payload);
      ui.state.textContent = current.state;
    });
  }
  current.on('ready', ({ persona }) => void onReady(current, persona));
  current.on('personaSpeaking', ({ speaking }) => indicate(ui.personaSpeaking, 'Persona', speaking));
  current.on('userSpeaking', ({ speaking }) => indicate(ui.userSpeaking, 'You', speaking));
  current.on('reconnecting', startReconnectCountdown);
  current.on('reconnected', () => stopReconnectCountdown('Reconnected: the call goes on.'));
  current.on('error', (error) => {
    lastError = error;
    showError(reportOf(error));
    if (error.code === 'AUDIO_PLAYBACK_BLOCKED') ui.enableAudio.hidden = false;
    if (error.code === 'MIC_DEVICE_DISCONNECTED' && current.state !== 'ended') void listMicrophones(current);
  });
  current.on('ended', ({ callId, durationSec }) => void onEnded(callId, durationSec));
}

async function onReady(current: RoleplaySession, persona: AthosPersona): Promise<void> {
  wentLive = true;
  ui.persona.hidden = false;
  ui.personaName.textContent = persona.name;
  fillFields(ui.personaDetails, persona.details ?? { details: 'none for this drill' });
  ui.mute.disabled = false;
  ui.end.disabled = false;
  await listMicrophones(current);
  if (current.state === 'ended') return;
  await meter.start().catch((error: unknown) => note('The level meter could not open the microphone', error));
}

/** Fills the microphone picker; again after a microphone went away, to offer the others. */
async function listMicrophones(current: RoleplaySession): Promise<void> {
  try {
    const microphones = await current.listMicrophones();
    ui.microphone.replaceChildren(...microphones.map(({ deviceId, label }) => new Option(label || deviceId, deviceId)));
    ui.microphone.disabled = current.state === 'ended';
  } catch (error) {
    note('listMicrophones() failed', error);
  }
}

async function onEnded(callId: string, durationSec: number): Promise<void> {
  endCallView();
  ui.result.hidden = false;
  ui.resultCallId.textContent = callId;
  ui.resultDuration.textContent = `${durationSec} s`;
  if (!wentLive) {
    ui.resultStatus.textContent = 'The call never went live, so Athos keeps no record of it.';
    return;
  }
  ui.resultStatus.textContent = 'Fetching the scored call from the REST API…';
  try {
    const call = await backend<ScoredCall>('GET', `/calls/${encodeURIComponent(callId)}`);
    note(`GET /demo-api/calls/${callId}`, {
      status: call.status,
      turns: call.transcript.length,
      score: call.score?.overallScore,
    });
    ui.resultScore.textContent = call.score
      ? `${call.score.overallScore} / 100${call.score.local ? ' (local score)' : ''}: ${call.score.summary} ${call.score.feedback}`
      : 'not scored';
    ui.transcript.replaceChildren(
      ...call.transcript.map((turn) => {
        const item = document.createElement('li');
        item.className = turn.role === 'user' ? 'turn turn-user' : 'turn turn-persona';
        const who = document.createElement('strong');
        who.textContent = turn.role === 'user' ? 'You' : 'Persona';
        item.append(who, ` ${turn.content}`);
        return item;
      }),
    );
    ui.resultStatus.textContent = `${call.transcript.length} turns.`;
  } catch (error) {
    const report = backendReport(`GET /demo-api/calls/${callId}`, error);
    ui.resultStatus.textContent = `The call could not be fetched: ${report.code}, ${report.message}`;
  }
}

interface ScoredCall {
  status: string;
  transcript: { role: 'assistant' | 'user'; content: string }[];
  score: { overallScore: number; summary: string; feedback: string; local?: boolean } | null;
}

// ---------------------------------------------------------------------------------------------
// What the page shows

function setBusy(busy: boolean): void {
  ui.start.disabled = busy;
  for (const button of element('qa-start-with').querySelectorAll('button')) {
    button.disabled = busy || (button === ui.reuseToken && lastToken === undefined);
  }
}

function resetCallView(): void {
  ui.errorPanel.hidden = true;
  ui.result.hidden = true;
  ui.persona.hidden = true;
  ui.transcript.replaceChildren();
  ui.resultScore.textContent = '';
  ui.state.textContent = 'idle';
  lastError = undefined;
  wentLive = false;
}

function endCallView(): void {
  meter.stop();
  stopReconnectCountdown();
  setBusy(false);
  muted = false;
  ui.mute.textContent = 'Mute';
  ui.mute.setAttribute('aria-pressed', 'false');
  ui.levelNote.textContent = '';
  ui.mute.disabled = true;
  ui.end.disabled = true;
  ui.enableAudio.hidden = true;
  ui.microphone.disabled = true;
  indicate(ui.personaSpeaking, 'Persona', false);
  indicate(ui.userSpeaking, 'You', false);
}

function indicate(target: HTMLElement, who: string, speaking: boolean): void {
  target.textContent = `${who}: ${speaking ? 'speaking' : 'silent'}`;
  target.classList.toggle('on', speaking);
}

function startReconnectCountdown(): void {
  const deadline = Date.now() + RECONNECT_WINDOW_MS;
  const show = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    ui.reconnectBanner.textContent = `Connection lost, reconnecting… ${left} s left before the call ends.`;
  };
  clearInterval(reconnectTimer);
  ui.reconnectBanner.className = 'banner banner-warn';
  ui.reconnectBanner.hidden = false;
  show();
  reconnectTimer = setInterval(show, 250);
}

function stopReconnectCountdown(message?: string): void {
  clearInterval(reconnectTimer);
  reconnectTimer = undefined;
  ui.reconnectBanner.hidden = message === undefined;
  if (message === undefined) return;
  ui.reconnectBanner.className = 'banner banner-good';
  ui.reconnectBanner.textContent = message;
}

/** The error panel's view of anything thrown: an SDK error's JSON form, or its message. */
function reportOf(error: unknown): ErrorReport {
  if (AthosRoleplayError.is(error)) return { ...error.toJSON() };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

function showError(report: ErrorReport): void {
  const { code, message, name: _name, ...fields } = report;
  ui.errorPanel.hidden = false;
  ui.errorCode.textContent = code;
  ui.errorMessage.textContent = message;
  ui.errorRecovery.textContent = RECOVERY[code as keyof typeof RECOVERY] ?? 'None from the SDK: see the event log.';
  fillFields(ui.errorFields, fields);
}

/** The error panel's view of a failed call to the demo backend (or to Athos behind it). */
function backendReport(what: string, error: unknown): ErrorReport {
  const failure = error as { body?: { error?: Partial<ErrorReport> }; status?: number };
  const envelope = failure.body?.error;
  note(`${what} failed`, failure.body ?? String(error));
  return {
    code: envelope?.code ?? 'UNEXPECTED',
    message: envelope?.message ?? (error instanceof Error ? error.message : String(error)),
    source: what,
    httpStatus: failure.status,
    requestId: envelope?.requestId,
  };
}

function fillFields(list: HTMLElement, fields: Record<string, unknown>): void {
  list.replaceChildren();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const term = document.createElement('dt');
    term.textContent = key;
    const detail = document.createElement('dd');
    detail.textContent = typeof value === 'object' && value !== null ? Object.values(value).join(', ') : String(value);
    list.append(term, detail);
  }
}

// ---------------------------------------------------------------------------------------------
// The event log

function clock(date = new Date()): string {
  return date.toLocaleTimeString('en-GB', { hour12: false }) + `.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function logEntry(kind: 'event' | 'note', title: string, payload?: unknown): void {
  const item = document.createElement('li');
  item.className = `log-${kind}`;
  const time = document.createElement('time');
  time.textContent = clock();
  const name = document.createElement('span');
  name.className = 'log-name';
  name.textContent = title;
  item.append(time, ' ', name);
  if (payload !== undefined) {
    const body = document.createElement('code');
    const value = AthosRoleplayError.is(payload) ? payload.toJSON() : payload instanceof Error ? String(payload) : payload;
    body.textContent = JSON.stringify(value);
    item.append(' ', body);
  }
  const atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 24;
  ui.log.append(item);
  if (atBottom) ui.log.scrollTop = ui.log.scrollHeight;
}

function note(title: string, payload?: unknown): void {
  logEntry('note', title, payload);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function onClick(id: string, action: () => unknown): void {
  element(id).addEventListener('click', () => {
    Promise.resolve()
      .then(action)
      .catch((error: unknown) => note(`#${id} failed`, error));
  });
}

function numberOf(id: string): number {
  return Number(element<HTMLInputElement>(id).value) || 1;
}

function wireCallControls(): void {
  ui.setup.addEventListener('submit', (event) => {
    event.preventDefault();
    void startCall();
  });
  onClick('end', () => session?.disconnect());
  onClick('mute', async () => {
    await (muted ? session?.unmute() : session?.mute());
    muted = !muted;
    ui.mute.textContent = muted ? 'Unmute' : 'Mute';
    ui.mute.setAttribute('aria-pressed', String(muted));
    ui.levelNote.textContent = muted ? '(muted: not sent to the persona)' : '';
    note(muted ? 'mute()' : 'unmute()');
  });
  ui.microphone.addEventListener('change', () => {
    const deviceId = ui.microphone.value;
    void session
      ?.setMicrophone(deviceId)
      .then(() => {
        note(`setMicrophone(${JSON.stringify(deviceId)})`);
        return meter.start(deviceId);
      })
      .catch((error: unknown) => note('setMicrophone() failed', error));
  });
  onClick('enable-audio', async () => {
    await session?.resumeAudio();
    ui.enableAudio.hidden = true;
    note('resumeAudio() resolved');
  });
  onClick('clear-log', () => ui.log.replaceChildren());
}

function wireQaPanel(): void {
  onClick('qa-drop', () => fault('drop'));
  onClick('qa-end-call', () => fault('end-call'));
  onClick('qa-stall', () => fault('stall', { seconds: numberOf('qa-stall-seconds') }));
  onClick('qa-refuse', () => fault('refuse-reconnects', { seconds: numberOf('qa-refuse-seconds') }));
  onClick('qa-redeem', () => {
    const choice = element<HTMLSelectElement>('qa-redeem-code').value;
    const times = numberOf('qa-redeem-times');
    return fault('next-redemption', choice === '429' ? { status: 429, retryAfterSec: 1, times } : { code: choice, times });
  });
  onClick('qa-tenant', () => fault('tenant', { state: element<HTMLSelectElement>('qa-tenant-state').value }));
  onClick('qa-reset', () => fault('reset'));
  onClick('qa-connect-twice', () => session?.connect().catch((error: unknown) => note('second connect() rejected', error)));
  onClick('qa-reuse-token', () => startCall({ token: lastToken }));
  onClick('qa-malformed-token', () => startCall({ token: 'ast_this-is-not-a-real-token' }));
  onClick('qa-blank-drill', () => startCall({ drillKey: '' }));
  onClick('qa-unknown-drill', () => startCall({ drillKey: 'zz-no-such-drill' }));
  onClick('qa-expired-token', async () => {
    // The local server cannot expire one token on demand, so its redemption fault stands in.
    note('The server answers the next redemption with TOKEN_EXPIRED (injected)');
    await fault('next-redemption', { code: 'TOKEN_EXPIRED' });
    await startCall();
  });
}

async function init(): Promise<void> {
  const support = detectBrowserSupport(navigator.userAgent);
  if (!support.supported) {
    ui.supportBanner.hidden = false;
    ui.supportBanner.textContent = `This browser is not supported (${support.reason}). Use desktop Chrome, Edge or Firefox; starting a call will fail with BROWSER_NOT_SUPPORTED.`;
  }
  ui.drill.replaceChildren(...ATHOS_DRILL_KEYS.map((key) => new Option(key, key)));
  wireCallControls();
  wireQaPanel();
  try {
    config = await backend<DemoConfig>('GET', '/config');
  } catch (error) {
    showError(backendReport('GET /demo-api/config', error));
    ui.start.disabled = true;
    return;
  }
  ui.serverUrl.textContent = config.apiBase;
  ui.faultsBadge.hidden = !config.faults;
  ui.qa.hidden = !config.faults;
  if (config.faults) await showFaultStatus();
  document.body.dataset.ready = 'true';
}

void init();
