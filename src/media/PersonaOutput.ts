import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/** What the persona output reports to the session. */
export interface PersonaOutputEvents {
  /** The persona became audible or silent, as the rep hears it. */
  onSpeakingChange(speaking: boolean): void;
  /** A playback problem (e.g. `AUDIO_PLAYBACK_BLOCKED`); the call goes on. */
  onError(error: AthosRoleplayError): void;
}

/**
 * The output controller: jitter-buffers the persona's audio and plays it through an
 * SDK-created `<audio>` element.
 */
export interface PersonaOutput {
  /**
   * Builds the playback path and tries to start it. When the browser blocks autoplay it
   * reports `AUDIO_PLAYBACK_BLOCKED` through `onError` and still resolves.
   */
  start(): Promise<void>;
  /** Queues one persona frame: 16-bit mono PCM at 16 kHz. */
  push(pcm: Int16Array): void;
  /** Drops everything queued (barge-in, or a link drop); reports not speaking. */
  clear(): void;
  /** Retries playback after a user gesture. */
  resume(): Promise<void>;
  /** Stops playback, removes the `<audio>` element, closes the audio graph. Idempotent. */
  stop(): void;
}
