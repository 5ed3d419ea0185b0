import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { toAthosError } from '../errors/toAthosError.ts';
import type { MicrophoneInfo } from '../media/listMicrophones.ts';
import type { MicrophoneInput } from '../media/MicrophoneInput.ts';
import type { PersonaOutput } from '../media/PersonaOutput.ts';
import type { VoiceTransport } from '../transport/VoiceTransport.ts';
import { createLogger, type Logger } from '../utils/logger.ts';
import { randomId } from '../utils/randomId.ts';
import { defaultParts } from './defaultParts.ts';
import type { AthosEventMap, AthosEventName } from './events.ts';
import { Lifecycle, type SessionState } from './lifecycle.ts';
import { type AthosRoleplayCreateOptions, resolveOptions } from './options.ts';
import { SessionEvents } from './SessionEvents.ts';
import type { SessionParts } from './SessionParts.ts';

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
 * session.on('ended', ({ callId }) => saveCallId(callId));
 * await session.connect();
 * ```
 */
export class RoleplaySession {
  readonly #rawOptions: AthosRoleplayCreateOptions;
  readonly #parts: SessionParts;
  readonly #lifecycle = new Lifecycle();
  readonly #logger: Logger;
  readonly #events: SessionEvents;
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
  }

  /** The lifecycle state: `idle → connecting → connected ⇄ reconnecting → ended`. */
  get state(): SessionState {
    return this.#lifecycle.state;
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
    if (!this.#lifecycle.apply('connect')) {
      const error = new AthosRoleplayError(
        'SESSION_ALREADY_CONNECTED',
        'connect() was already called on this session. Create a new session for each call.',
        { phase: 'connect', retryable: false },
      );
      this.#events.emit('error', error);
      throw error;
    }
    this.#events.emit('connecting', undefined);
    const cancel = new AbortController();
    this.#cancel = cancel;
    try {
      await this.#establish(cancel.signal);
    } catch (error) {
      if (cancel.signal.aborted) return;
      const failure = toAthosError(error, 'connect', this.#secrets);
      this.#finish(failure);
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

  /** Stops sending the rep's audio; `userSpeaking` reports `false`. */
  async mute(): Promise<void> {
    this.#liveMicrophone('mute').setMuted(true);
    this.#muted = true;
    this.#reportUserSpeaking();
  }

  /** Resumes sending the rep's audio. */
  async unmute(): Promise<void> {
    this.#liveMicrophone('unmute').setMuted(false);
    this.#muted = false;
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

    const microphone = this.#parts.createMicrophone(
      {
        onFrame: (frame) => {
          if (this.state === 'connected' && !this.#muted) this.#transport?.sendAudio(frame);
        },
        onSpeakingChange: (speaking) => {
          this.#micSpeaking = speaking;
          this.#reportUserSpeaking();
        },
        onError: (error) => this.#report(error),
      },
      context,
    );
    this.#microphone = microphone;
    await microphone.start(signal);
    checkpoint();

    const output = this.#parts.createOutput(
      {
        onSpeakingChange: (speaking) => this.#setPersonaSpeaking(speaking),
        onError: (error) => this.#report(error),
      },
      context,
    );
    this.#output = output;
    // The playback path is built while the token is redeemed: it needs no network.
    const outputStarted = output.start();
    outputStarted.catch(() => undefined);

    const redemption = await this.#parts.redeem(
      {
        apiBase: options.apiBase,
        token: options.token,
        drillKey: options.drillKey,
        difficulty: options.difficulty,
        filters: options.filters,
      },
      { fetch: context.env.fetch, signal, idempotencyKey: randomId(), logger: this.#logger },
    );
    this.#callId = redemption.callId;
    this.#logger.addSecret(redemption.connectionTicket);
    checkpoint();
    await outputStarted;
    checkpoint();

    const transport = this.#parts.createTransport(
      redemption,
      {
        onAudio: (pcm) => this.#output?.push(pcm),
        onClear: () => this.#output?.clear(),
        onDrop: (deadline) => this.#drop(deadline),
        onRecover: () => this.#recover(),
        onEnd: (summary) => this.#finish(undefined, summary.durationSec),
        onFatal: (error) => this.#finish(error),
      },
      context,
    );
    this.#transport = transport;
    await transport.connect(signal);
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
    this.#finish(undefined, summary?.durationSec);
  }

  #drop(deadline: number): void {
    if (!this.#lifecycle.apply('drop')) return;
    this.#output?.clear();
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
  #finish(error?: AthosRoleplayError, durationSec?: number): void {
    if (!this.#lifecycle.apply('end')) return;
    this.#transport?.close();
    this.#microphone?.stop();
    this.#output?.stop();
    this.#personaSpeaking = false;
    this.#userSpeaking = false;
    if (error) this.#events.emit('error', error);
    if (this.#callId !== undefined) {
      const elapsed = this.#liveAt === undefined ? 0 : Math.floor((Date.now() - this.#liveAt) / 1000);
      // The gateway's count wins, unless it says the call lasted longer than it can have.
      const trusted = durationSec !== undefined && durationSec <= elapsed + DURATION_SLACK_SEC;
      this.#events.emit('ended', { callId: this.#callId, durationSec: trusted ? durationSec : elapsed });
    }
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
    this.#events.emit('userSpeaking', { speaking });
  }

  #setPersonaSpeaking(speaking: boolean): void {
    if (this.#personaSpeaking === speaking || this.state === 'ended') return;
    if (speaking && this.state !== 'connected') return;
    this.#personaSpeaking = speaking;
    this.#events.emit('personaSpeaking', { speaking });
  }

  #liveMicrophone(method: string): MicrophoneInput {
    if ((this.state === 'connected' || this.state === 'reconnecting') && this.#microphone) return this.#microphone;
    throw new AthosRoleplayError('INVALID_REQUEST', `${method}() needs a live call; wait for the 'ready' event.`, {
      phase: 'call',
      retryable: false,
    });
  }

  #partContext(): PartContext {
    const workletUrl = typeof this.#rawOptions?.workletUrl === 'string' ? this.#rawOptions.workletUrl : undefined;
    return { env: this.#parts.env(), logger: this.#logger, workletUrl };
  }
}
