/**
 * How the call's audio and connection are doing, from `session.getStats()`. Counters cover the
 * whole call (every reconnect included); all zero (and `rttMs` `undefined`) before it is live.
 */
export interface AthosCallStats {
  /** The round trip of the latest answered heartbeat (one a second), in ms; `undefined` before the first. */
  rttMs: number | undefined;
  /** Persona audio received and not yet played, in ms. */
  jitterBufferMs: number;
  /** Persona frames that arrived after playback had run dry mid-sentence (one per gap). */
  lateFrames: number;
  /** Persona frames that never arrived (gaps in their sequence numbers). */
  lostFrames: number;
  /** 20 ms frames of silence played in place of late or lost persona audio. */
  concealedFrames: number;
  /** Payload bytes sent to the voice gateway (audio and control messages, without protocol overhead). */
  bytesSent: number;
  /** Payload bytes received from the voice gateway. */
  bytesReceived: number;
  /** How many times the link dropped and the SDK reconnected (or tried to). */
  reconnects: number;
  /** Total time spent reconnecting, in ms, the current reconnect included. */
  reconnectingMs: number;
}
