/**
 * What the main thread and the SDK's Worker agree on: the messages each side sends. Types only,
 * imported by both sides. Audio never crosses here: it flows between the worklets and the Worker
 * over the two ports handed over in {@link StartCommand}.
 */

import type { Codec } from '../contract/voice.js';
import type { AthosErrorPhase } from '../errors/AthosRoleplayError.ts';
import type { AthosErrorCode } from '../errors/codes.ts';
import type { GatewayAddress } from '../transport/VoiceLink.ts';
import type { CallEndSummary, LinkStats, VoiceTransportEvents } from '../transport/VoiceTransport.ts';

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

/** What the main thread asks of the Worker's link, and what each answers (see {@link Reply}). */
export interface Requests {
  /** Connect to the redemption's gateway; answers once the call is live, with its codec. */
  connect: { gateway: GatewayAddress; answer: Codec };
  /** Stop or resume sending the rep's audio; answers once that took effect. */
  mute: { muted: boolean; answer: undefined };
  /** Say goodbye to the gateway; answers with its summary, if it gave one in time. */
  leave: { answer: CallEndSummary | undefined };
}

/** A request's fields besides its method and id. */
export type RequestFields<M extends keyof Requests> = Omit<Requests[M], 'answer'>;

/** A request: `id` pairs it with its {@link Reply}. */
export type Request = {
  [M in keyof Requests]: { type: 'request'; id: number; method: M } & RequestFields<M>;
}[keyof Requests];

/** Main thread → Worker. */
export type WorkerCommand =
  | StartCommand
  | Request
  /** The browser is back online: try to resume now. */
  | { type: 'retry' }
  /** The answer to `drain`, sent once the main thread got to it. */
  | { type: 'drained' }
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

/** One of the transport's events, as the link reported it; `onFatal`'s error as {@link ErrorData}. */
export type LinkEvent = {
  [E in keyof VoiceTransportEvents]: {
    type: 'event';
    name: E;
    value: E extends 'onFatal' ? ErrorData : Parameters<VoiceTransportEvents[E]>[0];
  };
}[keyof VoiceTransportEvents];

/** Worker → main thread. */
export type WorkerEvent =
  /** The Worker's script runs (its Blob URL may be revoked). */
  | { type: 'started' }
  /** The answer to request `id`: its value, or the error it failed with. */
  | { type: 'reply'; id: number; value?: unknown; error?: ErrorData }
  /** Sent after the playback worklet was told to drop its queue (`onClear`, `onDrop`). */
  | LinkEvent
  /**
   * The link's figures: once a second while the Worker runs a link, and right before every
   * event, reply and `closed`, so that the main thread's copy is never more than a second old
   * and final once the call is over.
   */
  | { type: 'stats'; stats: LinkStats }
  /**
   * The link fell silent: answer with `drained` as soon as the main thread is free. In Firefox a
   * Worker's socket messages pass through the page's main thread, so until then some may be
   * held back; the link is not called dead before.
   */
  | { type: 'drain' }
  /** A line for the SDK's logger (only sent with `debug`); the main thread redacts it again. */
  | { type: 'log'; level: 'debug' | 'warn'; message: string }
  /** The answer to `close`: everything is released. */
  | { type: 'closed' };
