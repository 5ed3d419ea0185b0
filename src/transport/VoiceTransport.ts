import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { Redemption } from '../redeem/Redemption.ts';

/** What the voice connection reports to the session. */
export interface VoiceTransportEvents {
  /** The rep talked over the persona: queued persona audio was dropped. */
  onClear(): void;
  /**
   * The link dropped; the transport is trying to resume the same call until `deadline`
   * (`Date.now()` ms), after which it reports `NETWORK_LOST` through {@link onFatal}.
   */
  onDrop(deadline: number): void;
  /** The link is back; the same call goes on. */
  onRecover(): void;
  /** The gateway ended the call (ceiling, ended by Athos, resume refused). */
  onEnd(summary: CallEndSummary): void;
  /** An unrecoverable error after the call went live, `NETWORK_LOST` included. */
  onFatal(error: AthosRoleplayError): void;
}

/** What the gateway says when a call ends. */
export interface CallEndSummary {
  reason: string;
  /** Whole seconds from the call's start, as the gateway counts them. */
  durationSec?: number;
}

/** What a call runs on: the kind of voice connection. */
export type TransportKind = 'websocket';

/**
 * The audio codecs of the protocol (`CODECS` of the contract), spelled out here so that the
 * bundled type declarations carry them; test/sdk/contract.test.ts keeps the two equal.
 */
export type AudioCodec = 'opus' | 'pcm16';

/** The transport's share of the call statistics. */
export interface LinkStats {
  /** The round trip of the latest answered heartbeat, in ms; `undefined` before the first. */
  rttMs: number | undefined;
  /** Payload bytes sent, every socket of the call included. */
  bytesSent: number;
  /** Payload bytes received, every socket of the call included. */
  bytesReceived: number;
  /** Persona frames that never arrived (gaps in their sequence numbers). */
  lostFrames: number;
}

/**
 * The voice connection to the gateway, behind a small interface so that another transport
 * (WebRTC, say) can replace the WebSocket one without touching the session. Audio does not pass
 * through it: the capture and playback worklets exchange frames with the transport through the
 * two ports it offers, never through the main thread.
 */
export interface VoiceTransport {
  /** What kind of connection this is. */
  readonly kind: TransportKind;
  /** The audio codec of the call, once it is live. */
  codec(): AudioCodec | undefined;
  /** The link's figures so far; cheap. */
  stats(): LinkStats;
  /** The port the capture worklet sends its frames to. Handed over once, to the microphone. */
  readonly capturePort: MessagePort;
  /** The port the playback worklet receives persona frames from. Handed over once, to the output. */
  readonly playbackPort: MessagePort;
  /**
   * Opens the connection, authenticates with the redemption's ticket and waits until the call
   * is live. Rejects with an `AthosRoleplayError` of phase `connect`, or with the signal's reason.
   */
  connect(redemption: Redemption, signal: AbortSignal): Promise<void>;
  /** Tries to resume now (the browser said it is back online). */
  retryNow(): void;
  /**
   * Stops or resumes sending the rep's audio. Resolves once it took effect: after a mute, not
   * one more frame leaves, those still on their way from the microphone included.
   */
  setMuted(muted: boolean): Promise<void>;
  /**
   * Tells the gateway the rep left and closes. Resolves with the gateway's summary when it
   * answers in time. No event follows.
   */
  leave(): Promise<CallEndSummary | undefined>;
  /** Closes at once, with no event afterwards, and releases everything. Idempotent. */
  close(): void;
}
