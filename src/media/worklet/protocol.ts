/**
 * What the main thread and the audio worklet agree on: processor names, options and messages.
 * Types and constants only, imported by both sides.
 */

/** Registered name of the processor that turns the microphone into protocol frames. */
export const CAPTURE_PROCESSOR = 'athos-capture';
/** Registered name of the processor that plays persona frames. */
export const PLAYBACK_PROCESSOR = 'athos-playback';

/** `processorOptions` of both processors. */
export interface ProcessorOptions {
  /** The AudioContext's rate, passed explicitly so the pipelines need no worklet global. */
  sampleRate: number;
}

/** Main thread → either processor: stop processing for good, then confirm. */
export const STOP_COMMAND = 'stop';
/** Either processor → main thread: it has stopped; its context may be closed now. */
export const STOPPED_MESSAGE = 'stopped';

/** Main thread → capture processor. */
export type CaptureCommand = { muted: boolean } | typeof STOP_COMMAND;

/** Capture processor → main thread: a frame's buffer, or a voice-activity change. */
export type CaptureMessage = ArrayBuffer | { speaking: boolean };

/** Main thread → playback processor: a frame to queue, `'clear'`, or the stop command. */
export type PlaybackCommand = Int16Array | 'clear' | typeof STOP_COMMAND;

/** The playback processor's jitter-buffer figures, in samples at 16 kHz and in frames. */
export interface PlaybackCounters {
  /** Samples queued and not yet played. */
  depth: number;
  /** Frames that arrived after playback had run dry mid-utterance. */
  late: number;
  /** 20 ms frames of silence played while waiting for late frames. */
  concealed: number;
}

/** How often the playback processor reports its {@link PlaybackCounters} (when they changed). */
export const COUNTERS_INTERVAL_MS = 100;

/**
 * Playback processor → main thread: whether the persona is audible (with how many `'clear'`
 * commands the processor had handled, to discard stale reports), or its counters.
 */
export type PlaybackMessage = { speaking: boolean; clears: number } | { counters: PlaybackCounters };
