/**
 * What the bench page (app.js) and its probes (probes/*.js) put on `window`: the page's
 * scripts are typed against it, and the benchmarks in bench/browser/ read it through
 * `page.evaluate`.
 */
import type { AthosRoleplayCreateOptions, RoleplaySession } from '../../src/index.ts';
import '../../e2e/workerReports.ts';

/** app.js: one call at a time, every event recorded with its `performance.now()` time. */
export interface BenchApp {
  session: RoleplaySession | undefined;
  /** Events of the current call; `code` is an error's. */
  events: { name: string; at: number; code?: string }[];
  /** When `connect()` was called, in `performance.now()` ms. */
  connectAt: number;
  /** How `connect()` settled: 'ok', an error code, or undefined while pending. */
  outcome: string | undefined;
  /** Creates a session, records its events and connects; resolves when `connect()` settles. */
  start(options: AthosRoleplayCreateOptions): Promise<void>;
  /** Ends the call and lets go of the session. */
  stop(): Promise<void>;
  /** When `name` was first recorded in the current call, or undefined. */
  when(name: string): number | undefined;
}

/** probes/synthetic-mic.js: a silent microphone that clicks on demand. */
export interface SyntheticMic {
  /** Per click, ms from the click to the `send()` of the first uplink frame that carries it. */
  readonly latencies: number[];
  /** When each click was made. */
  clicks: number[];
  track: MediaStreamTrack;
  /** The synthetic microphone's own render period: a click enters its stream up to this late. */
  renderPeriodMs: number;
  click(): void;
}

/** probes/timeline.js: when each step of `connect()` happened at a browser API, in ms. */
export interface Timeline {
  microphone: { start: number; end?: number }[];
  audioContexts: number[];
  peers: { created: number; track?: number }[];
  plays: { start: number; end?: number }[];
  sockets: { created: number; firstMessage?: number; lastMessage?: number }[];
}

/** probes/audio-onsets.js: onsets of persona sound, in ms, at three places. */
export interface AudioOnsets {
  socket: number[];
  loopbackInput: number[];
  element: number[];
  /** Records the onsets in `stream` into `list`, until the stream ends. */
  watch(stream: MediaStream, list: number[]): void;
  /** The average time audio spent in the receiving loopback peer's jitter buffer, or null. */
  jitterBufferMs(): Promise<number | null>;
}

/** probes/playback-recorder.js: what the SDK's `<audio>` element plays, 10 ms at a time. */
export interface PlaybackRecorder {
  /** Mean squares of 10 ms windows at 16 kHz, in batches; `at` is the first window's time (epoch ms). */
  batches: { at: number; levels: number[] }[];
  /** Whether the element's audio is being measured yet. */
  recording: boolean;
  /** When the element was last heard (epoch ms). */
  loudUntil: number;
  /** Where the recording reaches (epoch ms). */
  recordedUntil: number;
  /** Why the recorder could not start, if it could not. */
  error?: string;
}

/** probes/resources.js */
export interface ResourceProbe {
  /** What is still held, by description. */
  leftovers(): Record<string, number>;
}

declare global {
  interface Window {
    bench: BenchApp;
    __mic: SyntheticMic;
    __timeline: Timeline;
    __onsets: AudioOnsets;
    __resources: ResourceProbe;
    __playback: PlaybackRecorder;
  }
}
