import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/** What the persona output reports to the session. */
export interface PersonaOutputEvents {
  /** The persona became audible or silent, as the rep hears it. */
  onSpeakingChange(speaking: boolean): void;
  /** A playback problem (e.g. `AUDIO_PLAYBACK_BLOCKED`); the call goes on. */
  onError(error: AthosRoleplayError): void;
  /** The chosen speaker `deviceId` went away; the persona now plays on the default output. */
  onSpeakerLost(deviceId: string): void;
}

/** The output's share of the call statistics. */
export interface PlaybackStats {
  /** Persona audio queued and not yet played, in ms. */
  jitterBufferMs: number;
  /** Frames that arrived after playback had run dry mid-utterance (one per gap). */
  lateFrames: number;
  /** 20 ms frames of silence played while waiting for late frames. */
  concealedFrames: number;
}

/**
 * The output controller: plays the persona's audio, which arrives through a link to the
 * transport (never through the main thread), through an SDK-created `<audio>` element.
 */
export interface PersonaOutput {
  /**
   * Builds the playback path, fed from `link` (handed over), without starting to play: it
   * needs neither the network nor the microphone. Rejects if the audio graph cannot be built.
   */
  prepare(link: MessagePort): Promise<void>;
  /**
   * Starts playing, once {@link PersonaOutput.prepare} resolved. When the browser blocks
   * autoplay it reports `AUDIO_PLAYBACK_BLOCKED` through `onError` and still resolves.
   */
  start(): Promise<void>;
  /** Retries playback after a user gesture. */
  resume(): Promise<void>;
  /**
   * Plays on the output `deviceId` (`''`: the default), now or, before {@link start}, once the
   * element exists. Rejects with an `AthosRoleplayError` (see `speakerError`) and keeps the
   * current output.
   */
  setSpeaker(deviceId: string): Promise<void>;
  /** The persona's volume, 0–1 (already clamped). */
  setVolume(volume: number): void;
  /** The level of the persona's voice now, 0–1 (before the volume); 0 before it started. */
  level(): number;
  /** The jitter buffer's figures. */
  stats(): PlaybackStats;
  /** Stops playback, removes the `<audio>` element, closes the audio graph. Idempotent. */
  stop(): void;
}
