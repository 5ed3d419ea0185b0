/**
 * What the main thread and the SDK's Worker agree on: the messages each side sends. Types only,
 * imported by both sides. Audio never crosses here: it flows between the worklets and the Worker
 * over the two ports handed over in {@link StartCommand}.
 */

import type { Codec } from '../contract/voice.js';
import type { AthosErrorPhase } from '../errors/AthosRoleplayError.ts';
import type { AthosErrorCode } from '../errors/codes.ts';
import type { CallEndSummary, LinkStats } from '../transport/VoiceTransport.ts';

/**
 * Main thread → Worker, first and once: the ports the capture worklet sends frames on and the
 * playback worklet receives them on, and whether the Worker sends its debug log.
 */
export interface StartCommand {
  type: 'start';
  capture: MessagePort;
  playback: MessagePort;
  debug: boolean;
}

/** Main thread → Worker. */
export type WorkerCommand =
  | StartCommand
  /** Connect to the gateway the redemption named, with its ticket. */
  | { type: 'connect'; url: string; ticket: string }
  /** The browser is back online: try to resume now. */
  | { type: 'retry' }
  /** Say goodbye to the gateway; answered with `left`. */
  | { type: 'leave' }
  /** Release everything; answered with `closed`, after which the Worker may be terminated. */
  | { type: 'close' };

/** An `AthosRoleplayError` as it crosses to the main thread, which rebuilds it. */
export interface ErrorData {
  code: AthosErrorCode;
  message: string;
  phase: AthosErrorPhase;
  closeCode: number | undefined;
  closeReason: string | undefined;
  retryable: boolean;
}

/** Worker → main thread. */
export type WorkerEvent =
  /** The Worker's script runs (its Blob URL may be revoked). */
  | { type: 'started' }
  /** `connect` succeeded: the call is live on `codec`. */
  | { type: 'live'; codec: Codec }
  /** `connect` failed. */
  | { type: 'connectFailed'; error: ErrorData }
  /** Barge-in: the playback worklet was told to drop its queue. */
  | { type: 'clear' }
  /** The link dropped; resuming until `deadline` (`Date.now()` ms). The playback was cleared. */
  | { type: 'drop'; deadline: number }
  | { type: 'recover' }
  | { type: 'end'; summary: CallEndSummary }
  | { type: 'fatal'; error: ErrorData }
  /** The answer to `leave`. */
  | { type: 'left'; summary: CallEndSummary | undefined }
  /**
   * The link's figures: once a second while the Worker runs a link, and right before `end`,
   * `fatal`, `left` and `closed`, so that the main thread's copy is never more than a second old
   * and final once the call is over.
   */
  | { type: 'stats'; stats: LinkStats }
  /** A line for the SDK's logger (only sent with `debug`); the main thread redacts it again. */
  | { type: 'log'; level: 'debug' | 'warn'; message: string }
  /** The answer to `close`: everything is released. */
  | { type: 'closed' };
