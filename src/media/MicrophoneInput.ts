import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/** What the microphone input reports to the session. */
export interface MicrophoneInputEvents {
  /** The rep started or stopped speaking (voice-activity detection with hang time). */
  onSpeakingChange(speaking: boolean): void;
  /** A microphone problem mid-call (e.g. `MIC_DEVICE_DISCONNECTED`); the call goes on. */
  onError(error: AthosRoleplayError): void;
}

/**
 * The input controller: acquires the microphone, captures and resamples it off the main
 * thread, detects speech, and survives device changes.
 */
export interface MicrophoneInput {
  /**
   * Acquires the microphone and starts capturing. Rejects with an `AthosRoleplayError` of phase
   * `media` (`MIC_PERMISSION_DENIED`, `NO_MIC_AVAILABLE`, `MIC_DEVICE_DISCONNECTED`, …).
   * Frames (20 ms of 16-bit mono PCM at 16 kHz each) flow to `link` from then on, without
   * passing through the main thread; the port is handed over.
   */
  start(signal: AbortSignal, link: MessagePort): Promise<void>;
  /** Switches to another input device without interrupting the frame flow. */
  setDevice(deviceId: string): Promise<void>;
  /** While muted no frame is emitted and `onSpeakingChange(false)` is reported once. */
  setMuted(muted: boolean): void;
  /**
   * The microphone's level now, 0–1 (see `levelOfRms`), whether or not muted; 0 before it
   * started. Cheap enough for every animation frame.
   */
  level(): number;
  /** Stops every track, closes the audio graph, removes every listener. Idempotent. */
  stop(): void;
}
