import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { toAthosError } from '../errors/toAthosError.ts';
import { CallAudio } from '../media/CallAudio.ts';
import type { MicrophoneInfo } from '../media/listMicrophones.ts';
import type { MicrophoneInput } from '../media/MicrophoneInput.ts';
import type { PersonaOutput } from '../media/PersonaOutput.ts';
import type { SpeakerInfo } from '../media/speakers.ts';
import type { AthosPersona } from '../redeem/Redemption.ts';
import type { VoiceTransport } from '../transport/VoiceTransport.ts';
import { createLogger, type Logger } from '../utils/logger.ts';
import { randomId } from '../utils/randomId.ts';
import type { AthosCallStats } from './callStats.ts';
import { defaultParts } from './defaultParts.ts';
import { type AthosEndReason, endReasonFromError, endReasonFromGateway } from './endReason.ts';
import type { AthosEventMap, AthosEventName } from './events.ts';
import { Lifecycle, type SessionState } from './lifecycle.ts';
import { type AthosRoleplayCreateOptions, resolveOptions } from './options.ts';
import { SessionEvents } from './SessionEvents.ts';
import type { SessionParts } from './SessionParts.ts';
import { type AthosCodec, type AthosTransport, type SessionSnapshot, SnapshotStore } from './SessionSnapshot.ts';
import { type AthosTalkMetrics, TalkMetrics } from './TalkMetrics.ts';
import { obtainToken } from './token.ts';

/** How a call ended, as {@link RoleplaySession} finishes it. */
interface Ending {
  reason: AthosEndReason;
  /** The error that ended it, reported before `ended`. */
  error?: AthosRoleplayError;
  /** The gateway's count, when it gave one. */
  durationSec?: number | undefined;
}

/**
 * How many seconds the gateway's `durationSec` may exceed the session's own count: the gateway
 * starts counting when it sends `live`, a moment before the session hears it.
 */
const DURATION_SLACK_SEC = 2;

/**
 * One voice call between the rep and an Athos persona. Create it with
 * `AthosRoleplay.create()`, register handlers, then call {@link RoleplaySession.connect}.
 *
 * A session is single-use: after `ended`, create a new one (with a new token) for the next
 * call.
 *
 * @example
 * ```ts
 * const session = AthosRoleplay.create({ token, drillKey: 'ma-full-sale' });
 * session.on('ready', ({ persona }) => show(persona.name));
 * session.on('error', ({ code }) => handle(code));
 * session.on('ended', ({ callId, reason }) => saveCall(callId, reason));
 * await session.connect();
 * ```
 *
 * A call screen can also subscribe once and render {@link RoleplaySession.snapshot}:
 *
 * ```ts
 * const snapshot = useSyncExternalStore(session.subscribe, () => session.snapshot);
 * ```
 */
export class RoleplaySession {
  readonly #rawOptions: AthosRoleplayCreateOptions;
  readonly #parts: SessionParts;
  readonly #lifecycle = new Lifecycle((state, previous) => this.#onTransition(state, previous));
  readonly #logger: Logger;
  readonly #events: SessionEvents;
  readonly #snapshot: SnapshotStore;
  readonly #talk = new TalkMetrics();
  readonly #secrets: string[] = [];
  #cancel: AbortController | undefined;
  #microphone: MicrophoneInput | undefined;
  #output: PersonaOutput | undefined;
  #transport: VoiceTransport | undefined;
  #callId: string | undefined;
  #liveAt: number | undefined;
  #leaving: Promise<void> | undefined;
  #muted = false;
  /** What the microphone last said about the rep's voice, whatever the call's state. */
  #micSpeaking = false;
  #userSpeaking = false;
  #personaSpeaking = false;
  /** The chosen speaker; `''` is the default output. */
  #speakerId = '';
  #volume = 1;
  #reconnects = 0;
  /** Time spent reconnecting before the current drop, in ms. */
  #reconnectingMs = 0;
  /** When the current drop began (`performance.now()` ms), while reconnecting. */
  #droppedAt: number | undefined;

  /**
   * Prefer `AthosRoleplay.create()`, which also checks browser support.
   *
   * @param options - the `create()` options; validated when `connect()` starts.
   * @param parts - internal seam for tests; leave it out.
   */
  constructor(options: AthosRoleplayCreateOptions, parts: SessionParts = defaultParts()) {
    this.#rawOptions = options;
    this.#parts = parts;
    this.#logger = createLogger(options?.debug === true, this.#secrets);
    this.#logger.addSecret(typeof options?.token === 'string' ? options.token : '');
    this.#events = new SessionEvents(this.#logger, (error) => this.#parts.env().reportError(error));
    this.#snapshot = new SnapshotStore(this.#logger);
    this.subscribe = this.subscribe.bind(this);
  }

  /** The lifecycle state: `idle → connecting → connected ⇄ reconnecting → ended`. */
  get state(): SessionState {
    return this.#lifecycle.state;
  }

  /** Whether the rep is muted (see {@link RoleplaySession.mute}). */
  get muted(): boolean {
    return this.#muted;
  }

  /** The persona, once the token is redeemed; `undefined` before. */
  get persona(): AthosPersona | undefined {
    return this.#snapshot.value.persona;
  }

  /** The call id (`athos_call_…`), once the token is redeemed; `undefined` before. */
  get callId(): string | undefined {
    return this.#callId;
  }

  /** The kind of voice connection the call runs on (`'websocket'`), once it is live. */
  get transport(): AthosTransport | undefined {
    return this.#snapshot.value.transport;
  }

  /** The audio codec the call runs on (`'opus'` or `'pcm16'`), once it is live. */
  get codec(): AthosCodec | undefined {
    return this.#snapshot.value.codec;
  }

  /**
   * Everything a call screen renders, as one frozen object that is replaced whenever a field
   * changes (and only then); read it as often as you like.
   */
  get snapshot(): SessionSnapshot {
    return this.#snapshot.value;
  }

  /**
   * Calls `onChange` (without arguments) after every change of {@link RoleplaySession.snapshot};
   * returns the function that stops it. Bound to the session, so it can be passed around as it
   * is, e.g. to `useSyncExternalStore(session.subscribe, () => session.snapshot)`.
   */
  subscribe(onChange: () => void): () => void {
    return this.#snapshot.subscribe(onChange);
  }

  /**
   * Registers `handler` for `event` and returns a function that unregisters it. A handler that
   * throws does not disturb the session or the other handlers.
   */
  on<K extends AthosEventName>(event: K, handler: (payload: AthosEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  /** Unregisters a handler added with {@link RoleplaySession.on}. */
  off<K extends AthosEventName>(event: K, handler: (payload: AthosEventMap[K]) => void): void {
    this.#events.off(event, handler);
  }

  /**
   * Starts the call: asks for the microphone, redeems the token, opens the voice connection
   * and resolves once the persona is ready (after the `ready` event).
   *
   * Rejects with the same {@link AthosRoleplayError} that the `error` event carries. A second
   * call rejects with `SESSION_ALREADY_CONNECTED` and leaves the first alone. When
   * `disconnect()` cancels it, it resolves without `ready` or `error`.
   */
  async connect(): Promise<void> {
    if (!this.#lifecycle.can('connect')) {
      const error = new AthosRoleplayError(
        'SESSION_ALREADY_CONNECTED',
        'connect() was already called on this session. Create a new session for each call.',
        { phase: 'connect', retryable: false },
      );
      this.#events.emit('error', error);
      throw error;
    }
    // Made first, so that a handler of the transition may already cancel.
    const cancel = new AbortController();
    this.#cancel = cancel;
    this.#lifecycle.apply('connect');
    this.#events.emit('connecting', undefined);
    try {
      await this.#establish(cancel.signal);
    } catch (error) {
      if (cancel.signal.aborted) return;
      const failure = toAthosError(error, 'connect', this.#secrets);
      this.#finish({ reason: 'error', error: failure });
      throw failure;
    }
  }

  /**
   * Ends the call: tells Athos the rep left, releases the microphone and the speaker, then
   * fires `ended`. During a pending `connect()` it cancels it. Idempotent, and safe to call
   * from any event handler.
   */
  disconnect(): Promise<void> {
    if (this.state === 'idle' || this.state === 'ended') return this.#leaving ?? Promise.resolve();
    this.#leaving ??= this.#leave();
    return this.#leaving;
  }

  /**
   * Lists the audio inputs as `{ deviceId, label }`. Works before `connect()`; may prompt for
   * microphone permission so that labels are filled in.
   */
  listMicrophones(): Promise<MicrophoneInfo[]> {
    return this.#parts.listMicrophones(this.#partContext());
  }

  /** Switches the microphone mid-call without dropping the call. */
  async setMicrophone(deviceId: string): Promise<void> {
    await this.#liveMicrophone('setMicrophone').setDevice(deviceId);
  }

  /**
   * Stops sending the rep's audio; `userSpeaking` reports `false` and the input level 0. Once
   * it resolves not one more frame leaves, not even one captured just before the mute.
   */
  async mute(): Promise<void> {
    this.#liveMicrophone('mute').setMuted(true);
    this.#setMuted(true);
    this.#reportUserSpeaking();
    await this.#transport?.setMuted(true);
  }

  /** Resumes sending the rep's audio. */
  async unmute(): Promise<void> {
    const microphone = this.#liveMicrophone('unmute');
    const unmuted = this.#transport?.setMuted(false);
    microphone.setMuted(false);
    this.#setMuted(false);
    await unmuted;
  }

  /**
   * The rep's microphone level now, 0–1 on a decibel scale (0 at -60 dBFS and below, 1 at full
   * scale), measured on the SDK's own capture; 0 while muted and while no microphone runs.
   * Cheap enough to call on every animation frame.
   */
  getInputLevel(): number {
    return this.#muted ? 0 : (this.#microphone?.level() ?? 0);
  }

  /**
   * The persona's level now, 0–1 on the same scale, measured on what the SDK plays (before the
   * volume of {@link RoleplaySession.setVolume}); 0 while nothing plays. Cheap enough to call
   * on every animation frame.
   */
  getOutputLevel(): number {
    return this.#output?.level() ?? 0;
  }

  /**
   * Lists the audio outputs as `{ deviceId, label }`. Works before `connect()`; may prompt for
   * microphone permission so that labels are filled in. Some browsers (Firefox) list only the
   * outputs the user already chose for the site.
   */
  listSpeakers(): Promise<SpeakerInfo[]> {
    return this.#parts.listSpeakers(this.#partContext());
  }

  /**
   * Plays the persona on the output `deviceId` (from `listSpeakers()`; `''` for the default),
   * before or during the call. Rejects with `BROWSER_NOT_SUPPORTED` where the browser cannot
   * choose outputs (no `setSinkId`), with `INVALID_REQUEST` for an unknown or refused device
   * and after the call ended; the current output then stays. If the speaker goes away during
   * the call, the persona falls back to the default output and `speakerLost` is emitted.
   */
  async setSpeaker(deviceId: string): Promise<void> {
    this.#notEnded('setSpeaker');
    await this.#parts.checkSpeaker(this.#parts.env(), deviceId);
    await this.#output?.setSpeaker(deviceId);
    this.#speakerId = deviceId;
    this.#snapshot.update({ speakerId: deviceId });
  }

  /**
   * Sets the persona's volume, 0 (silent) to 1 (full, the default), before or during the call;
   * values outside are clamped. Throws `INVALID_REQUEST` for anything but a number.
   */
  setVolume(volume: number): void {
    if (typeof volume !== 'number' || Number.isNaN(volume)) {
      throw new AthosRoleplayError('INVALID_REQUEST', 'setVolume() needs a number from 0 to 1.', {
        phase: 'media',
        retryable: false,
      });
    }
    this.#volume = Math.min(1, Math.max(0, volume));
    this.#output?.setVolume(this.#volume);
    this.#snapshot.update({ volume: this.#volume });
  }

  /** How the call's audio and connection are doing; see {@link AthosCallStats}. Cheap. */
  getStats(): AthosCallStats {
    const link = this.#transport?.stats();
    const playback = this.#output?.stats();
    const reconnecting = this.#droppedAt === undefined ? 0 : performance.now() - this.#droppedAt;
    return {
      rttMs: link?.rttMs,
      jitterBufferMs: this.state === 'ended' ? 0 : (playback?.jitterBufferMs ?? 0),
      lateFrames: playback?.lateFrames ?? 0,
      lostFrames: link?.lostFrames ?? 0,
      concealedFrames: playback?.concealedFrames ?? 0,
      bytesSent: link?.bytesSent ?? 0,
      bytesReceived: link?.bytesReceived ?? 0,
      reconnects: this.#reconnects,
      reconnectingMs: Math.round(this.#reconnectingMs + reconnecting),
    };
  }

  /**
   * The talk metrics of the call so far (see {@link AthosTalkMetrics}), from the rep's and the
   * persona's speaking timelines; after the call, the final ones (also in `ended`).
   */
  getTalkMetrics(): AthosTalkMetrics {
    return this.#talk.read(performance.now());
  }

  /**
   * Starts the persona's audio after the browser blocked autoplay
   * (`AUDIO_PLAYBACK_BLOCKED`). Call it from a user gesture such as a click.
   */
  async resumeAudio(): Promise<void> {
    await this.#output?.resume();
  }

  async #establish(signal: AbortSignal): Promise<void> {
    const options = resolveOptions(this.#rawOptions);
    const context = this.#partContext();
    const checkpoint = () => {
      if (signal.aborted) throw signal.reason;
    };

    // The transport (its Worker) starts with the microphone, and the playback path as soon as
    // the capture runs, beside the redemption: none of them needs the network, so the call goes
    // live sooner. Building the playback while the browser opens the microphone would slow both.
    const transport = this.#parts.createTransport(
      {
        onClear: () => this.#setPersonaSpeaking(false),
        onDrop: (deadline) => this.#drop(deadline),
        onRecover: () => this.#recover(),
        onEnd: (summary) => this.#finish({ reason: endReasonFromGateway(summary.reason), durationSec: summary.durationSec }),
        onFatal: (error) => this.#finish({ reason: endReasonFromError(error), error }),
      },
      context,
    );
    this.#transport = transport;
    const audio = new CallAudio(context);
    const output = this.#parts.createOutput(
      {
        onSpeakingChange: (speaking) => this.#setPersonaSpeaking(speaking),
        onError: (error) => this.#report(error),
        onSpeakerLost: (deviceId) => this.#speakerLost(deviceId),
      },
      context,
      audio,
    );
    this.#output = output;
    output.setVolume(this.#volume);
    // Before prepare() resolves this only records the choice: it cannot fail.
    await output.setSpeaker(this.#speakerId);

    const microphone = this.#parts.createMicrophone(
      {
        onSpeakingChange: (speaking) => {
          this.#micSpeaking = speaking;
          this.#reportUserSpeaking();
        },
        onError: (error) => this.#report(error),
      },
      context,
      audio,
    );
    this.#microphone = microphone;
    await microphone.start(signal, transport.capturePort);
    checkpoint();
    const outputPrepared = output.prepare(transport.playbackPort);
    outputPrepared.catch(() => undefined);
    // Playing starts once the microphone runs: some browsers let a page that captures play.
    const outputStarted = outputPrepared.then(() => output.start());
    outputStarted.catch(() => undefined);

    const token = await obtainToken(options.token, signal);
    this.#logger.addSecret(token);
    checkpoint();
    const redemption = await this.#parts.redeem(
      {
        apiBase: options.apiBase,
        token,
        drillKey: options.drillKey,
        difficulty: options.difficulty,
        filters: options.filters,
      },
      { fetch: context.env.fetch, signal, idempotencyKey: randomId(), logger: this.#logger },
    );
    this.#callId = redemption.callId;
    this.#logger.addSecret(redemption.connectionTicket);
    this.#snapshot.update({ callId: redemption.callId, persona: redemption.persona });
    checkpoint();
    await Promise.all([transport.connect(redemption, signal), outputStarted]);
    checkpoint();

    this.#liveAt = Date.now();
    this.#lifecycle.apply('live');
    this.#events.emit('ready', { persona: redemption.persona });
    // A rep already talking when the call goes live is reported now, not at their next pause.
    this.#reportUserSpeaking();
  }

  async #leave(): Promise<void> {
    this.#cancel?.abort(
      new AthosRoleplayError('INTERNAL_ERROR', 'connect() was cancelled by disconnect().', { phase: 'connect' }),
    );
    const summary = await this.#transport?.leave().catch(() => undefined);
    this.#finish({ reason: 'client', durationSec: summary?.durationSec });
  }

  /**
   * What every transition brings besides `stateChange`: the snapshot, the talk metrics' clock
   * and the reconnect figures. Runs inside `Lifecycle.apply`, the one place transitions happen.
   */
  #onTransition(state: SessionState, previous: SessionState): void {
    const now = performance.now();
    if (previous === 'reconnecting' && this.#droppedAt !== undefined) {
      this.#reconnectingMs += now - this.#droppedAt;
      this.#droppedAt = undefined;
    }
    if (state === 'connected') {
      if (previous === 'connecting') this.#talk.start(now);
      else this.#talk.resume(now);
    } else if (state === 'reconnecting') {
      this.#talk.pause(now);
      this.#reconnects += 1;
      this.#droppedAt = now;
    } else if (state === 'ended') {
      this.#talk.stop(now);
    }
    const link = state === 'connected' ? { transport: this.#transport?.kind, codec: this.#transport?.codec() } : {};
    this.#snapshot.update({ state, ...link });
    this.#events.emit('stateChange', { state, previous });
  }

  #drop(deadline: number): void {
    if (!this.#lifecycle.apply('drop')) return;
    this.#setPersonaSpeaking(false);
    this.#reportUserSpeaking();
    this.#events.emit('reconnecting', { deadline });
  }

  #recover(): void {
    if (!this.#lifecycle.apply('recover')) return;
    this.#events.emit('reconnected', undefined);
    this.#reportUserSpeaking();
  }

  /**
   * The single way a session ends, whatever the cause: release everything, then report the
   * error (if any) and `ended` (if the call got past redemption). Runs at most once.
   */
  #finish({ reason, error, durationSec }: Ending): void {
    if (!this.#lifecycle.apply('end')) return;
    this.#transport?.close();
    this.#microphone?.stop();
    this.#output?.stop();
    this.#personaSpeaking = false;
    this.#userSpeaking = false;
    this.#snapshot.update({ personaSpeaking: false, userSpeaking: false });
    if (error) this.#events.emit('error', error);
    if (this.#callId !== undefined) {
      const elapsed = this.#liveAt === undefined ? 0 : Math.floor((Date.now() - this.#liveAt) / 1000);
      // The gateway's count wins, unless it says the call lasted longer than it can have.
      const trusted = durationSec !== undefined && durationSec <= elapsed + DURATION_SLACK_SEC;
      this.#events.emit('ended', {
        callId: this.#callId,
        durationSec: trusted ? durationSec : elapsed,
        reason,
        metrics: this.getTalkMetrics(),
      });
    }
  }

  #speakerLost(deviceId: string): void {
    if (this.state === 'ended') return;
    this.#speakerId = '';
    this.#snapshot.update({ speakerId: '' });
    this.#events.emit('speakerLost', { deviceId });
  }

  #setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#snapshot.update({ muted });
  }

  /** Reports a mid-call error that does not end the call. */
  #report(error: AthosRoleplayError): void {
    if (this.state !== 'ended') this.#events.emit('error', error);
  }

  /**
   * Reports `userSpeaking` as the microphone last heard it, but only while the call is live and
   * the rep unmuted; `false` otherwise.
   */
  #reportUserSpeaking(): void {
    this.#setUserSpeaking(this.#micSpeaking && this.state === 'connected' && !this.#muted);
  }

  #setUserSpeaking(speaking: boolean): void {
    if (this.#userSpeaking === speaking || this.state === 'ended') return;
    this.#userSpeaking = speaking;
    this.#talk.setRep(speaking, performance.now());
    this.#snapshot.update({ userSpeaking: speaking });
    this.#events.emit('userSpeaking', { speaking });
  }

  #setPersonaSpeaking(speaking: boolean): void {
    if (this.#personaSpeaking === speaking || this.state === 'ended') return;
    if (speaking && this.state !== 'connected') return;
    this.#personaSpeaking = speaking;
    this.#talk.setPersona(speaking, performance.now());
    this.#snapshot.update({ personaSpeaking: speaking });
    this.#events.emit('personaSpeaking', { speaking });
  }

  #liveMicrophone(method: string): MicrophoneInput {
    if ((this.state === 'connected' || this.state === 'reconnecting') && this.#microphone) return this.#microphone;
    throw new AthosRoleplayError('INVALID_REQUEST', `${method}() needs a live call; wait for the 'ready' event.`, {
      phase: 'call',
      retryable: false,
    });
  }

  #notEnded(method: string): void {
    if (this.state !== 'ended') return;
    throw new AthosRoleplayError('INVALID_REQUEST', `${method}() came after the call ended; create a new session.`, {
      phase: 'call',
      retryable: false,
    });
  }

  #partContext(): PartContext {
    const option = (name: 'workletUrl' | 'workerUrl') => {
      const value = this.#rawOptions?.[name];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      env: this.#parts.env(),
      logger: this.#logger,
      debug: this.#rawOptions?.debug === true,
      workletUrl: option('workletUrl'),
      workerUrl: option('workerUrl'),
    };
  }
}
