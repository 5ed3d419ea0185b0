import { echoCancellerHearsWebAudio } from '../browser/echoCancellerHearsWebAudio.ts';
import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { withDeadline } from '../utils/abortable.ts';
import { AudioLevel } from './AudioLevel.ts';
import { AUDIO_START_TIMEOUT_MS, audioNeverStarted, waitUntilRunning } from './audioStart.ts';
import type { CallAudio } from './CallAudio.ts';
import { audioOutputs, stopTracks } from './mediaDevices.ts';
import { PeerConnectionLoopback } from './PeerConnectionLoopback.ts';
import type { PersonaOutput, PersonaOutputEvents, PlaybackStats } from './PersonaOutput.ts';
import { speakerError } from './speakers.ts';
import {
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackCounters,
  type PlaybackMessage,
  type ProcessorOptions,
} from './worklet/protocol.ts';

/** How long a suspended AudioContext may take to resume before playback counts as blocked. */
const RESUME_TIMEOUT_MS = 1_000;
/** How long the browser may take to move the element to another output. */
const SINK_TIMEOUT_MS = 5_000;

/**
 * Plays the persona: frames come from the transport's link (the SDK's Worker) straight into the
 * SDK's playback worklet (jitter buffer, resampling to the context's rate, speaking detection on
 * what is played), never crossing the main thread, then into a hidden `<audio>` element
 * that the SDK appends to the page and removes at the end. In Chromium the stream goes through
 * a local peer-connection loopback first, so that the browser's echo canceller knows the sound;
 * Firefox's canceller knows it without one.
 *
 * When the browser refuses to play, it reports `AUDIO_PLAYBACK_BLOCKED` once per episode and
 * the worklet drops the audio that arrives until {@link WebAudioPersonaOutput.resume} succeeds.
 *
 * The element plays on the chosen speaker (`setSinkId`) at the chosen volume; when that speaker
 * leaves the device list, it falls back to the default output and says so.
 */
export class WebAudioPersonaOutput implements PersonaOutput {
  readonly #events: PersonaOutputEvents;
  readonly #context: PartContext;
  readonly #audio: CallAudio;
  /** Removes the listeners on the AudioContext and the element. */
  readonly #listeners = new AbortController();
  #audioContext: AudioContext | undefined;
  #worklet: AudioWorkletNode | undefined;
  #destination: MediaStreamAudioDestinationNode | undefined;
  #loopback: PeerConnectionLoopback | undefined;
  #element: HTMLAudioElement | undefined;
  #level: AudioLevel | undefined;
  #counters: PlaybackCounters = { depth: 0, late: 0, concealed: 0 };
  /** The chosen output; `''` is the default. */
  #speakerId = '';
  #volume = 1;
  /** Whether this output holds the call's audio, to release once. */
  #holdsAudio = false;
  #stopped = false;
  #blocked = false;
  #speaking = false;

  /**
   * @param events - where speaking changes and playback problems go.
   * @param context - the browser seam and the logger.
   * @param audio - the call's AudioContext, in which the playback worklet runs.
   */
  constructor(events: PersonaOutputEvents, context: PartContext, audio: CallAudio) {
    this.#events = events;
    this.#context = context;
    this.#audio = audio;
  }

  /**
   * Builds the playback path fed from `link` and appends the `<audio>` element, without
   * playing; rejects if the audio graph cannot be built.
   */
  async prepare(link: MessagePort): Promise<void> {
    const { env } = this.#context;
    this.#holdsAudio = true;
    const audioContext = await this.#audio.open();
    this.#audioContext = audioContext;
    if (this.#stopped) return;
    const processorOptions: ProcessorOptions = { sampleRate: audioContext.sampleRate };
    const worklet = new env.AudioWorkletNode(audioContext, PLAYBACK_PROCESSOR, {
      numberOfInputs: 0,
      outputChannelCount: [1],
      processorOptions,
    });
    this.#worklet = worklet;
    worklet.port.onmessage = ({ data }: MessageEvent<PlaybackMessage>) => {
      if ('counters' in data) this.#counters = data.counters;
      else this.#setSpeaking(data.speaking);
    };
    const linkCommand: PlaybackCommand = { link };
    worklet.port.postMessage(linkCommand, [link]);
    const destination = audioContext.createMediaStreamDestination();
    this.#destination = destination;
    destination.channelCount = 1;
    worklet.connect(destination);
    this.#level = new AudioLevel(audioContext);
    this.#level.listenTo(worklet);

    const element = env.document.createElement('audio');
    this.#element = element;
    element.hidden = true;
    element.volume = this.#volume;
    env.document.body.append(element);
    element.srcObject = await this.#echoCancellable(destination.stream);
    if (this.#stopped) return;
    await this.#playOnChosenSpeaker(element);
  }

  /**
   * Starts playing once {@link WebAudioPersonaOutput.prepare} resolved, and keeps playing.
   * Resolves even when autoplay is blocked (after reporting it). Rejects with `INTERNAL_ERROR`
   * (phase `media`) if the browser, without blocking autoplay, does not run the AudioContext
   * within {@link AUDIO_START_TIMEOUT_MS}: the persona would never be heard.
   */
  async start(): Promise<void> {
    const { env } = this.#context;
    const element = this.#element;
    const audioContext = this.#audioContext;
    if (this.#stopped || !element || !audioContext) return;
    const { signal } = this.#listeners;
    audioContext.addEventListener(
      'statechange',
      () => {
        if (audioContext.state !== 'running' && audioContext.state !== 'closed') void this.#keepPlaying();
      },
      { signal },
    );
    element.addEventListener('pause', () => void this.#keepPlaying(), { signal });
    env.navigator.mediaDevices?.addEventListener('devicechange', () => void this.#checkSpeaker(), { signal });
    await this.#keepPlaying();
    if (this.#blocked || this.#stopped || (await waitUntilRunning(audioContext, AUDIO_START_TIMEOUT_MS)) || this.#stopped) return;
    throw audioNeverStarted("the persona's voice", audioContext.state);
  }

  /**
   * Resumes playback; call it from a user gesture. Rejects with `AUDIO_PLAYBACK_BLOCKED` if the
   * browser still refuses.
   */
  async resume(): Promise<void> {
    await this.#keepPlaying();
    if (this.#blocked) {
      throw new AthosRoleplayError(
        'AUDIO_PLAYBACK_BLOCKED',
        'The browser still blocks audio playback; call resumeAudio() from a user gesture such as a click.',
        { phase: 'media' },
      );
    }
  }

  /**
   * Plays on the output `deviceId` (`''`: the default) from now on; before `start()`, from the
   * start. Rejects (keeping the current output) when the browser refuses the device.
   */
  async setSpeaker(deviceId: string): Promise<void> {
    const element = this.#element;
    if (element && !this.#stopped) {
      try {
        await playOn(element, deviceId);
      } catch (error) {
        throw speakerError(error, deviceId);
      }
    }
    this.#speakerId = deviceId;
  }

  /** Sets the element's volume (0–1). */
  setVolume(volume: number): void {
    this.#volume = volume;
    if (this.#element) this.#element.volume = volume;
  }

  /** The level of what the worklet plays, before the element's volume. */
  level(): number {
    return this.#stopped ? 0 : (this.#level?.read() ?? 0);
  }

  /** The jitter buffer's figures as the worklet last reported them (once a second at most). */
  stats(): PlaybackStats {
    const { depth, late, concealed } = this.#counters;
    return { jitterBufferMs: Math.round(depth / 16), lateFrames: late, concealedFrames: concealed };
  }

  /** Closes the peer connections, releases the call's audio, stops the tracks, removes the element. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#listeners.abort();
    this.#loopback?.close();
    if (this.#destination) stopTracks(this.#destination.stream);
    if (this.#element) {
      this.#element.srcObject = null;
      this.#element.remove();
    }
    if (this.#holdsAudio) this.#audio.release(this.#worklet);
  }

  /**
   * The stream to play: `local` sent through a peer-connection loopback, or `local` itself where
   * the echo canceller needs none, WebRTC is missing or the loopback fails.
   */
  async #echoCancellable(local: MediaStream): Promise<MediaStream> {
    const { env } = this.#context;
    const Peer = env.RTCPeerConnection;
    if (!Peer || echoCancellerHearsWebAudio(env.navigator?.userAgent ?? '')) return local;
    const playDirectly = () => {
      this.#context.logger.warn('The echo-cancelling loopback failed; playing the persona directly.');
      if (this.#element && !this.#stopped) this.#element.srcObject = local;
      void this.#keepPlaying();
    };
    try {
      this.#loopback = await PeerConnectionLoopback.open(local, Peer, playDirectly);
      if (this.#stopped) this.#loopback.close();
      return this.#loopback.stream;
    } catch (error) {
      this.#context.logger.warn('The echo-cancelling loopback could not be set up; playing the persona directly.', error);
      return local;
    }
  }

  /** Applies a speaker chosen before the element existed; falls back to the default if it is gone. */
  async #playOnChosenSpeaker(element: HTMLAudioElement): Promise<void> {
    const deviceId = this.#speakerId;
    if (deviceId === '') return;
    try {
      await playOn(element, deviceId);
    } catch (error) {
      this.#context.logger.warn('The chosen speaker could not be used; playing on the default output.', error);
      this.#fallBackToDefault(deviceId);
    }
  }

  /** On `devicechange`: whether the chosen speaker is still listed. */
  async #checkSpeaker(): Promise<void> {
    const deviceId = this.#speakerId;
    if (deviceId === '' || this.#stopped) return;
    const outputs = await audioOutputs(this.#context.env).catch(() => undefined);
    if (outputs && !outputs.some((output) => output.deviceId === deviceId) && this.#speakerId === deviceId) {
      if (this.#element) await playOn(this.#element, '').catch(() => undefined);
      this.#fallBackToDefault(deviceId);
    }
  }

  #fallBackToDefault(lost: string): void {
    if (this.#stopped) return;
    this.#speakerId = '';
    this.#events.onSpeakerLost(lost);
  }

  /**
   * Starts or restarts playback; an autoplay refusal starts a blocked episode, success ends it.
   * A context that does not run is a refusal only when the browser says autoplay is disallowed
   * (or refuses the element too): without an output device it does not run either, and that
   * is no matter of a click.
   */
  async #keepPlaying(): Promise<void> {
    const element = this.#element;
    const audioContext = this.#audioContext;
    if (this.#stopped || !element || !audioContext) return;
    const [contextRunning, elementPlaying] = await Promise.all([resumeContext(audioContext), this.#play(element)]);
    if (this.#stopped) return;
    const refused = !elementPlaying || (!contextRunning && autoplayDisallowed(this.#context.env.navigator, audioContext));
    if (!refused) {
      this.#setBlocked(false);
      return;
    }
    if (this.#blocked) return;
    this.#setBlocked(true);
    this.#setSpeaking(false);
    this.#events.onError(
      new AthosRoleplayError(
        'AUDIO_PLAYBACK_BLOCKED',
        'The browser blocked audio playback until the user interacts with the page; call resumeAudio() from a click.',
        { phase: 'media' },
      ),
    );
  }

  /** Whether `element` plays; only an autoplay refusal counts as not playing. */
  async #play(element: HTMLAudioElement): Promise<boolean> {
    try {
      await element.play();
      return true;
    } catch (error) {
      if ((error as { name?: unknown }).name === 'NotAllowedError') return false;
      this.#context.logger.debug('The <audio> element did not start.', error);
      return true;
    }
  }

  /** While blocked the worklet drops what it holds and what arrives, so stale audio never plays. */
  #setBlocked(blocked: boolean): void {
    if (blocked === this.#blocked) return;
    this.#blocked = blocked;
    const command: PlaybackCommand = { blocked };
    this.#worklet?.port.postMessage(command);
  }

  #setSpeaking(speaking: boolean): void {
    if (speaking === this.#speaking) return;
    this.#speaking = speaking;
    this.#events.onSpeakingChange(speaking);
  }
}

/** Moves `element` to the output `deviceId`; rejects with a `TimeoutError` if the browser takes too long. */
function playOn(element: HTMLAudioElement, deviceId: string): Promise<void> {
  return withDeadline(element.setSinkId(deviceId), {
    ms: SINK_TIMEOUT_MS,
    onTimeout: () => {
      throw new DOMException(`The output did not switch within ${SINK_TIMEOUT_MS / 1000} seconds.`, 'TimeoutError');
    },
  });
}

/**
 * Whether the browser says it refuses to start `audioContext` without a user gesture
 * (`navigator.getAutoplayPolicy`, Firefox 112+; Chromium has none and refuses the element instead).
 */
function autoplayDisallowed(navigator: Navigator, audioContext: AudioContext): boolean {
  const policy = (navigator as { getAutoplayPolicy?: (context: AudioContext) => string } | undefined)?.getAutoplayPolicy;
  return policy?.call(navigator, audioContext) === 'disallowed';
}

/**
 * Whether `audioContext` runs, resuming it if needed. A context the browser keeps suspended
 * for want of a user gesture never settles its `resume()`, hence the timeout.
 */
function resumeContext(audioContext: AudioContext): Promise<boolean> {
  if (audioContext.state === 'running') return Promise.resolve(true);
  const resumed = audioContext.resume().then(
    () => true,
    () => false,
  );
  return withDeadline(resumed, { ms: RESUME_TIMEOUT_MS, onTimeout: () => false });
}
