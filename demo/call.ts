/**
 * The call: starting one as an integrator would, what the SDK reports while it runs (state,
 * persona, speaking, levels, devices, statistics, talk metrics, reconnects) and the "After the
 * call" card.
 *
 * The page renders the session the way an app's call screen would: the state from
 * `stateChange`, everything else of `session.snapshot` through one `session.subscribe()`, the
 * level meters from `getInputLevel()`/`getOutputLevel()` on every animation frame, and the
 * figures from `getStats()`/`getTalkMetrics()` every second.
 *
 * One call at a time: every control that starts a call (marked `data-starts-call`) is off from
 * the click that starts one until it is over, with a visible reason, and {@link startCall}
 * refuses to start another meanwhile. A second session would orphan the live one.
 */
import {
  ATHOS_EVENT_NAMES,
  type AthosDifficulty,
  type AthosEventMap,
  type AthosPersona,
  create,
  type RoleplaySession,
  type SessionSnapshot,
} from '../src/index.ts';
import { demoApi } from './demoApi.ts';
import { element, fillFields } from './dom.ts';
import { backendReport, clearErrors, reportOf, showEndingError, showOngoingError } from './errors.ts';
import { refreshFaultStatus } from './faults.ts';
import { showStats, showTalkMetrics } from './figures.ts';
import { logEvent, note, onClick } from './log.ts';
import { type CallState, callInProgress, createCallState, type DemoState, END_REASONS } from './state.ts';

const ui = {
  setup: element<HTMLFormElement>('setup'),
  drill: element<HTMLSelectElement>('drill'),
  difficulty: element<HTMLSelectElement>('difficulty'),
  stateFilter: element<HTMLInputElement>('state-filter'),
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
  outputLevel: element<HTMLMeterElement>('output-level'),
  microphone: element<HTMLSelectElement>('microphone'),
  speaker: element<HTMLSelectElement>('speaker'),
  volume: element<HTMLInputElement>('volume'),
  mute: element<HTMLButtonElement>('mute'),
  end: element<HTMLButtonElement>('end'),
  stats: element('stats'),
  talk: element('talk'),
  result: element('result'),
  resultCallId: element('result-call-id'),
  resultDuration: element('result-duration'),
  resultReason: element('result-reason'),
  resultReasonText: element('result-reason-text'),
  resultMetrics: element('result-metrics'),
  resultScore: element('result-score'),
  resultStatus: element('result-status'),
  transcript: element('transcript'),
};

/** What a QA action changes about the call it starts. */
export interface StartOverrides {
  token?: string;
  drillKey?: string;
}

/**
 * Starts a call as an integrator would: a fresh token from the backend (unless a QA action
 * hands one in), then `create()`, handlers, `connect()`. Resolves once `connect()` settled.
 */
export async function startCall(state: DemoState, overrides: StartOverrides = {}): Promise<void> {
  if (!state.config || callInProgress(state)) return;
  const call = createCallState();
  state.call = call;
  showStarting(state);
  let token = overrides.token;
  if (token === undefined) {
    try {
      ({ token } = await demoApi<{ token: string }>('POST', '/token'));
    } catch (error) {
      showEndingError(backendReport('POST /demo-api/token', error), 'The call did not start.');
      finish(state, call);
      return;
    }
  }
  state.lastToken = token;

  const filter = ui.stateFilter.value.trim();
  try {
    call.session = create({
      token,
      drillKey: overrides.drillKey ?? ui.drill.value,
      difficulty: ui.difficulty.value as AthosDifficulty,
      filters: filter ? { state: filter } : undefined,
      apiBase: state.config.apiBase,
      debug: true,
    });
  } catch (error) {
    note('create() threw', error);
    showEndingError(reportOf(error), 'The call did not start.');
    finish(state, call);
    return;
  }
  const { session } = call;
  watch(state, call, session);
  // The speaker confirmed in "Check my setup" plays the persona from her first word.
  if (state.speakerId !== '') {
    await session
      .setSpeaker(state.speakerId)
      .then(() => note(`setSpeaker(${JSON.stringify(state.speakerId)}) before connect()`))
      .catch((error: unknown) => note('setSpeaker() failed; the persona plays on the default output', error));
  }
  session.setVolume(Number(ui.volume.value));
  await session.connect().then(
    () => note('connect() resolved'),
    (error: unknown) =>
      note(`connect() rejected${error === call.endingError ? ' with the same error as the error event' : ''}`, error),
  );
  if (session.state === 'ended') finish(state, call);
  else await refreshFaultStatus(state);
}

function watch(state: DemoState, call: CallState, session: RoleplaySession): void {
  for (const name of ATHOS_EVENT_NAMES) session.on(name, (payload: unknown) => logEvent(name, payload));
  session.on('stateChange', ({ state: now }) => {
    ui.state.textContent = now;
  });
  session.subscribe(() => render(session.snapshot));
  session.on('ready', ({ persona }) => void onReady(call, session, persona));
  session.on('reconnecting', ({ deadline }) => startReconnectCountdown(call, deadline));
  session.on('reconnected', () => stopReconnectCountdown(call, 'Reconnected: the call goes on.'));
  session.on('speakerLost', () => void listSpeakers(session));
  session.on('error', (error) => {
    // The SDK reports the error that ends a session after the session has ended.
    if (session.state === 'ended' && !call.over) {
      call.endingError = error;
      showEndingError(reportOf(error), call.wentLive ? 'This error ended the call.' : 'The call did not start.');
    } else {
      showOngoingError(reportOf(error));
    }
    if (error.code === 'AUDIO_PLAYBACK_BLOCKED') ui.enableAudio.hidden = false;
    if (error.code === 'MIC_DEVICE_DISCONNECTED' && session.state !== 'ended') void listMicrophones(session);
  });
  session.on('ended', (ended) => void onEnded(state, call, ended));
}

/** Everything of the snapshot the call card shows. */
function render(snapshot: SessionSnapshot): void {
  indicate(ui.personaSpeaking, 'Persona', snapshot.personaSpeaking);
  indicate(ui.userSpeaking, 'You', snapshot.userSpeaking);
  ui.mute.textContent = snapshot.muted ? 'Unmute' : 'Mute';
  ui.mute.setAttribute('aria-pressed', String(snapshot.muted));
  ui.levelNote.textContent = snapshot.muted ? '(muted: not sent to the persona)' : '';
  if ([...ui.speaker.options].some((option) => option.value === snapshot.speakerId)) ui.speaker.value = snapshot.speakerId;
}

async function onReady(call: CallState, session: RoleplaySession, persona: AthosPersona): Promise<void> {
  call.wentLive = true;
  ui.persona.hidden = false;
  ui.personaName.textContent = persona.name;
  fillFields(ui.personaDetails, persona.details ?? { details: 'none for this drill' });
  ui.mute.disabled = false;
  ui.end.disabled = false;
  ui.volume.disabled = false;
  drawLevels(call, session);
  const figures = () => {
    showStats(ui.stats, session.getStats());
    showTalkMetrics(ui.talk, session.getTalkMetrics());
  };
  figures();
  call.figuresTimer = setInterval(figures, 1_000);
  await listMicrophones(session);
  await listSpeakers(session);
}

/** Redraws both level meters on every animation frame until the call is over. */
function drawLevels(call: CallState, session: RoleplaySession): void {
  ui.level.value = session.getInputLevel();
  ui.outputLevel.value = session.getOutputLevel();
  call.levelFrame = requestAnimationFrame(() => drawLevels(call, session));
}

/** Fills the microphone picker; again after a microphone went away, to offer the others. */
async function listMicrophones(session: RoleplaySession): Promise<void> {
  try {
    const microphones = await session.listMicrophones();
    ui.microphone.replaceChildren(...microphones.map(({ deviceId, label }) => new Option(label || deviceId, deviceId)));
    ui.microphone.disabled = session.state === 'ended';
  } catch (error) {
    note('listMicrophones() failed', error);
  }
}

/** Fills the speaker picker with the default output first; again after the chosen one went away. */
async function listSpeakers(session: RoleplaySession): Promise<void> {
  try {
    const speakers = await session.listSpeakers();
    ui.speaker.replaceChildren(
      new Option('Default output', ''),
      ...speakers
        .filter(({ deviceId }) => deviceId !== 'default')
        .map(({ deviceId, label }) => new Option(label || deviceId, deviceId)),
    );
    ui.speaker.value = session.snapshot.speakerId;
    ui.speaker.disabled = session.state === 'ended';
  } catch (error) {
    note('listSpeakers() failed', error);
  }
}

interface ScoredCall {
  status: string;
  transcript: { role: 'assistant' | 'user'; content: string }[];
  score: { overallScore: number; summary: string; feedback: string; local?: boolean } | null;
}

async function onEnded(state: DemoState, call: CallState, ended: AthosEventMap['ended']): Promise<void> {
  const { callId, durationSec, reason, metrics } = ended;
  finish(state, call);
  ui.result.hidden = false;
  ui.resultCallId.textContent = callId;
  ui.resultDuration.textContent = `${durationSec} s`;
  ui.resultReason.textContent = reason;
  ui.resultReasonText.textContent = `: ${END_REASONS[reason]}`;
  showTalkMetrics(ui.resultMetrics, metrics);
  if (!call.wentLive) {
    ui.resultStatus.textContent = 'The call never went live, so Athos keeps no record of it.';
    return;
  }
  ui.resultStatus.textContent = 'Fetching the scored call from the REST API…';
  try {
    const scored = await demoApi<ScoredCall>('GET', `/calls/${encodeURIComponent(callId)}`);
    note(`GET /demo-api/calls/${callId}`, {
      status: scored.status,
      turns: scored.transcript.length,
      score: scored.score?.overallScore,
    });
    ui.resultScore.textContent = scored.score
      ? `${scored.score.overallScore} / 100${scored.score.local ? ' (local score)' : ''}: ${scored.score.summary} ${scored.score.feedback}`
      : 'not scored';
    ui.transcript.replaceChildren(
      ...scored.transcript.map((turn) => {
        const item = document.createElement('li');
        item.className = turn.role === 'user' ? 'turn turn-user' : 'turn turn-persona';
        const who = document.createElement('strong');
        who.textContent = turn.role === 'user' ? 'You' : 'Persona';
        item.append(who, ` ${turn.content}`);
        return item;
      }),
    );
    ui.resultStatus.textContent = `${scored.transcript.length} turns.`;
  } catch (error) {
    const report = backendReport(`GET /demo-api/calls/${callId}`, error);
    ui.resultStatus.textContent = `The call could not be fetched: ${report.code}, ${report.message}`;
  }
}

/** Turns every control that starts a call (or needs the page idle) on or off, as the state allows. */
export function showStartControls(state: DemoState): void {
  const running = callInProgress(state);
  for (const control of document.querySelectorAll<HTMLButtonElement>('[data-starts-call]')) {
    const needsToken = control.dataset.startsCall === 'with-last-token';
    control.disabled = !state.config || running || (needsToken && state.lastToken === undefined);
  }
  for (const control of document.querySelectorAll<HTMLButtonElement>('[data-idle-only]')) {
    control.disabled = !state.config || running;
  }
  for (const hint of document.querySelectorAll<HTMLElement>('[data-shown-while-call-runs]')) hint.hidden = !running;
}

function showStarting(state: DemoState): void {
  clearErrors();
  ui.result.hidden = true;
  ui.persona.hidden = true;
  ui.transcript.replaceChildren();
  ui.resultScore.textContent = '';
  ui.resultMetrics.replaceChildren();
  ui.stats.replaceChildren();
  ui.talk.replaceChildren();
  ui.state.textContent = 'idle';
  showStartControls(state);
}

/** The call is over (ended, failed or never started): the page is ready for the next one. */
function finish(state: DemoState, call: CallState): void {
  if (call.over) return;
  call.over = true;
  if (call.levelFrame !== undefined) cancelAnimationFrame(call.levelFrame);
  clearInterval(call.figuresTimer);
  if (call.session) {
    showStats(ui.stats, call.session.getStats());
    showTalkMetrics(ui.talk, call.session.getTalkMetrics());
  }
  ui.level.value = 0;
  ui.outputLevel.value = 0;
  stopReconnectCountdown(call);
  ui.mute.disabled = true;
  ui.end.disabled = true;
  ui.enableAudio.hidden = true;
  ui.microphone.disabled = true;
  ui.speaker.disabled = true;
  ui.volume.disabled = true;
  ui.levelNote.textContent = '';
  indicate(ui.personaSpeaking, 'Persona', false);
  indicate(ui.userSpeaking, 'You', false);
  showStartControls(state);
  void refreshFaultStatus(state);
}

function indicate(target: HTMLElement, who: string, speaking: boolean): void {
  target.textContent = `${who}: ${speaking ? 'speaking' : 'silent'}`;
  target.classList.toggle('on', speaking);
}

function startReconnectCountdown(call: CallState, deadline: number): void {
  const show = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    ui.reconnectBanner.textContent = `Connection lost, reconnecting… ${left} s left before the call ends.`;
  };
  clearInterval(call.reconnectTimer);
  ui.reconnectBanner.className = 'banner banner-warn';
  ui.reconnectBanner.hidden = false;
  show();
  call.reconnectTimer = setInterval(show, 250);
}

function stopReconnectCountdown(call: CallState, message?: string): void {
  clearInterval(call.reconnectTimer);
  call.reconnectTimer = undefined;
  ui.reconnectBanner.hidden = message === undefined;
  if (message === undefined) return;
  ui.reconnectBanner.className = 'banner banner-good';
  ui.reconnectBanner.textContent = message;
}

/** Wires the call's own controls: the start form, end, mute, devices, volume and "Enable audio". */
export function wireCallControls(state: DemoState): void {
  ui.setup.addEventListener('submit', (event) => {
    event.preventDefault();
    void startCall(state);
  });
  onClick('end', () => state.call?.session?.disconnect());
  onClick('mute', async () => {
    const session = state.call?.session;
    if (!session) return;
    await (session.muted ? session.unmute() : session.mute());
    note(session.muted ? 'mute()' : 'unmute()');
  });
  ui.microphone.addEventListener('change', () => {
    const deviceId = ui.microphone.value;
    void state.call?.session
      ?.setMicrophone(deviceId)
      .then(() => note(`setMicrophone(${JSON.stringify(deviceId)})`))
      .catch((error: unknown) => note('setMicrophone() failed', error));
  });
  ui.speaker.addEventListener('change', () => {
    const deviceId = ui.speaker.value;
    void state.call?.session
      ?.setSpeaker(deviceId)
      .then(() => note(`setSpeaker(${JSON.stringify(deviceId)})`))
      .catch((error: unknown) => note('setSpeaker() failed', error));
  });
  ui.volume.addEventListener('input', () => state.call?.session?.setVolume(Number(ui.volume.value)));
  onClick('enable-audio', async () => {
    await state.call?.session?.resumeAudio();
    ui.enableAudio.hidden = true;
    note('resumeAudio() resolved');
  });
}
