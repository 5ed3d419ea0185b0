/**
 * What the main thread, the audio worklet and the SDK's Worker agree on: processor names,
 * options and messages. Types and constants only, imported by every side.
 *
 * Each processor has two ports: its node's port, to the main thread, for control (rare
 * messages), and a link to the Worker, handed over through the first, for the audio frames.
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

/** Main thread → either processor: the port of the Worker that frames go to or come from. */
export interface LinkCommand {
  link: MessagePort;
}

/** Main thread → capture processor. */
export type CaptureCommand = { muted: boolean } | LinkCommand | typeof STOP_COMMAND;

/** Capture processor → main thread: a voice-activity change. */
export type CaptureMessage = { speaking: boolean };

/** Capture processor → Worker, over the link: one frame's buffer (20 ms of 16-bit PCM at 16 kHz). */
export type CaptureFrame = ArrayBuffer;

/**
 * Main thread → playback processor. While `blocked` (the browser refuses to play), the
 * processor drops what it has and what arrives.
 */
export type PlaybackCommand = { blocked: boolean } | LinkCommand | typeof STOP_COMMAND;

/** Worker → playback processor: drop every queued frame at once (barge-in, a drop). */
export const CLEAR_COMMAND = 'clear';

/** Worker → playback processor, over the link: a persona frame to queue, or the clear command. */
export type PlaybackFeed = Int16Array | typeof CLEAR_COMMAND;

/** The playback processor's jitter-buffer figures, in samples at 16 kHz and in frames. */
export interface PlaybackCounters {
  /** Samples queued and not yet played. */
  depth: number;
  /** Frames that arrived after playback had run dry mid-utterance. */
  late: number;
  /** 20 ms frames of silence played while waiting for late frames. */
  concealed: number;
}

/**
 * How often, at most, the playback processor reports its {@link PlaybackCounters} to the main
 * thread (only when they changed): each report is a task there.
 */
export const COUNTERS_INTERVAL_MS = 1_000;

/** Playback processor → main thread: whether the persona is audible, or its counters. */
export type PlaybackMessage = { speaking: boolean } | { counters: PlaybackCounters };
