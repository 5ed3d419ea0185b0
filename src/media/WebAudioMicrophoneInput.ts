import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { toAthosError } from '../errors/toAthosError.ts';
import { withDeadline } from '../utils/abortable.ts';
import { AudioLevel } from './AudioLevel.ts';
import { AUDIO_START_TIMEOUT_MS, audioNeverStarted, waitUntilRunning } from './audioStart.ts';
import type { CallAudio } from './CallAudio.ts';
import type { MicrophoneInput, MicrophoneInputEvents } from './MicrophoneInput.ts';
import { audioInputs, mediaDevicesOf, requestMicrophone, stopTracks } from './mediaDevices.ts';
import { CAPTURE_PROCESSOR, type CaptureCommand, type CaptureMessage, type ProcessorOptions } from './worklet/protocol.ts';

/** The acquired microphone that currently feeds the capture worklet. */
interface MicrophoneSource {
  stream: MediaStream;
  node: MediaStreamAudioSourceNode;
  /** Removes the listeners on the stream's track; aborted once its loss was handled. */
  listeners: AbortController;
}

/**
 * The microphone through Web Audio: `getUserMedia` with voice processing, the call's AudioContext
 * (shared with the playback, opened while the browser asks for the microphone), and the SDK's
 * capture worklet, which resamples to 16 kHz, cuts 20 ms frames of 16-bit PCM for the link it
 * was given and detects voice activity, all off the main thread; an AnalyserNode measures the
 * level when asked.
 *
 * Switching devices (on request, or when the active one is lost) acquires the new microphone
 * first and then swaps the source node feeding the same worklet, so frames keep flowing.
 */
export class WebAudioMicrophoneInput implements MicrophoneInput {
  readonly #events: MicrophoneInputEvents;
  readonly #context: PartContext;
  readonly #audio: CallAudio;
  /** Removes the `devicechange` listener. */
  readonly #listeners = new AbortController();
  #audioContext: AudioContext | undefined;
  #worklet: AudioWorkletNode | undefined;
  #level: AudioLevel | undefined;
  #source: MicrophoneSource | undefined;
  /** Device switches run one after the other. */
  #switching: Promise<void> = Promise.resolve();
  /** Whether this input holds the call's audio, to release once. */
  #holdsAudio = false;
  #stopped = false;
  #muted = false;
  #speaking = false;

  /**
   * @param events - where frames, voice-activity changes and mid-call errors go.
   * @param context - the browser seam and the logger.
   * @param audio - the call's AudioContext, in which the capture worklet runs.
   */
  constructor(events: MicrophoneInputEvents, context: PartContext, audio: CallAudio) {
    this.#events = events;
    this.#context = context;
    this.#audio = audio;
  }

  /**
   * Acquires the default microphone and starts capturing; resolves once the capture runs. When
   * `signal` aborts (even while the permission prompt is open) it rejects at once with the
   * signal's reason and releases everything, including a microphone granted afterwards. Rejects
   * with `INTERNAL_ERROR` (phase `media`) when the browser does not run the capture's
   * AudioContext within {@link AUDIO_START_TIMEOUT_MS}: no frame would ever come.
   */
  async start(signal: AbortSignal, link: MessagePort): Promise<void> {
    signal.throwIfAborted();
    const stop = () => this.stop();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await withDeadline(this.#open(link), { signal });
    } catch (error) {
      this.stop();
      throw signal.aborted ? signal.reason : toAthosError(error, 'media', []);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /**
   * Switches to the microphone `deviceId` (from `listMicrophones()`). Rejects with
   * `INVALID_REQUEST` for an unknown id, or with the mapped `getUserMedia` error; either way the
   * current microphone stays in use.
   */
  async setDevice(deviceId: string): Promise<void> {
    const inputs = await audioInputs(this.#context.env);
    if (!inputs.some((input) => input.deviceId === deviceId)) {
      throw new AthosRoleplayError(
        'INVALID_REQUEST',
        `There is no microphone with deviceId "${deviceId}"; pick one from listMicrophones().`,
        { phase: 'media' },
      );
    }
    await this.#switchTo(deviceId);
  }

  /** While muted the worklet neither emits frames nor detects voice; reports not speaking. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    const command: CaptureCommand = { muted };
    this.#worklet?.port.postMessage(command);
    if (muted) this.#setSpeaking(false);
  }

  /** The level of the microphone feeding the worklet, muted or not. */
  level(): number {
    return this.#stopped ? 0 : (this.#level?.read() ?? 0);
  }

  /** Stops every track, releases the call's audio, removes every listener. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#listeners.abort();
    if (this.#source) release(this.#source);
    if (this.#holdsAudio) this.#audio.release(this.#worklet);
  }

  async #open(link: MessagePort): Promise<void> {
    this.#holdsAudio = true;
    const opened = this.#audio.open();
    // Told apart below: a refused microphone is the failure to report, not a failed worklet load.
    opened.catch(() => undefined);
    const stream = await this.#acquire();
    if (!stream) return;
    try {
      const { env } = this.#context;
      const audioContext = await opened;
      this.#audioContext = audioContext;
      if (this.#stopped) return;
      const processorOptions: ProcessorOptions = { sampleRate: audioContext.sampleRate };
      const worklet = new env.AudioWorkletNode(audioContext, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: 'explicit',
        processorOptions,
      });
      this.#worklet = worklet;
      worklet.port.onmessage = ({ data }: MessageEvent<CaptureMessage>) => this.#receive(data);
      this.#level = new AudioLevel(audioContext);
      const linkCommand: CaptureCommand = { link };
      worklet.port.postMessage(linkCommand, [link]);
      this.#attach(stream, audioContext, worklet);
      const { signal } = this.#listeners;
      mediaDevicesOf(env).addEventListener('devicechange', () => void this.#checkDevice(), { signal });
      audioContext.addEventListener('statechange', () => this.#keepRunning(), { signal });
      // Resumed only now: a page that captures the microphone may start audio without a click.
      this.#keepRunning();
      if (!(await waitUntilRunning(audioContext, AUDIO_START_TIMEOUT_MS)) && !this.#stopped) {
        throw audioNeverStarted('the microphone', audioContext.state);
      }
    } finally {
      if (this.#source?.stream !== stream) stopTracks(stream);
    }
  }

  /** Asks for a microphone; resolves `undefined` (having released it) if stopped meanwhile. */
  async #acquire(deviceId?: string): Promise<MediaStream | undefined> {
    const stream = await requestMicrophone(this.#context.env, deviceId);
    if (!this.#stopped) return stream;
    stopTracks(stream);
    return undefined;
  }

  /** Feeds the worklet from `stream` instead of the current microphone, which is released. */
  #attach(stream: MediaStream, audioContext: AudioContext, worklet: AudioWorkletNode): void {
    const node = audioContext.createMediaStreamSource(stream);
    node.connect(worklet);
    this.#level?.listenTo(node);
    const previous = this.#source;
    const source: MicrophoneSource = { stream, node, listeners: new AbortController() };
    this.#source = source;
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => this.#onDeviceLost(source), { signal: source.listeners.signal });
    }
    if (previous) release(previous);
  }

  #switchTo(deviceId?: string): Promise<void> {
    const switched = this.#switching.then(async () => {
      const audioContext = this.#audioContext;
      const worklet = this.#worklet;
      if (!audioContext || !worklet) {
        throw new AthosRoleplayError('INVALID_REQUEST', 'The microphone has not started yet.', { phase: 'media' });
      }
      const stream = await this.#acquire(deviceId);
      if (stream) this.#attach(stream, audioContext, worklet);
    });
    this.#switching = switched.catch(() => undefined);
    return switched;
  }

  /** On `devicechange`: whether the active microphone is still listed. */
  async #checkDevice(): Promise<void> {
    const source = this.#source;
    const deviceId = source?.stream.getAudioTracks()[0]?.getSettings().deviceId;
    if (!source || deviceId === undefined) return;
    const inputs = await audioInputs(this.#context.env).catch(() => undefined);
    if (inputs && !inputs.some((input) => input.deviceId === deviceId)) this.#onDeviceLost(source);
  }

  /** Reports the loss once, then falls back to the default microphone if there is one. */
  #onDeviceLost(source: MicrophoneSource): void {
    if (source !== this.#source || source.listeners.signal.aborted || this.#stopped) return;
    source.listeners.abort();
    this.#events.onError(
      new AthosRoleplayError(
        'MIC_DEVICE_DISCONNECTED',
        'The microphone was disconnected; switching to the default microphone if there is one.',
        { phase: 'media' },
      ),
    );
    this.#switchTo().catch((error: unknown) => {
      this.#context.logger.warn('No microphone to fall back to; the call goes on without one.', error);
    });
  }

  /** Restarts the AudioContext when the browser suspended or interrupted it. */
  #keepRunning(): void {
    const audioContext = this.#audioContext;
    if (this.#stopped || !audioContext || audioContext.state === 'running' || audioContext.state === 'closed') return;
    audioContext.resume().catch((error: unknown) => this.#context.logger.warn("The call's AudioContext did not resume.", error));
  }

  #receive(message: CaptureMessage): void {
    if (!this.#muted) this.#setSpeaking(message.speaking);
  }

  #setSpeaking(speaking: boolean): void {
    if (speaking === this.#speaking) return;
    this.#speaking = speaking;
    this.#events.onSpeakingChange(speaking);
  }
}

function release(source: MicrophoneSource): void {
  source.listeners.abort();
  source.node.disconnect();
  stopTracks(source.stream);
}
