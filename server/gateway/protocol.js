/**
 * Constants and framing of the voice gateway wire protocol (docs/protocol.md).
 * @module
 */

import {
  AUTH_TIMEOUT_MS,
  CLOSE,
  FRAME_MS,
  FRAME_SAMPLES,
  MAX_TEXT_FRAME_BYTES,
  RESUME_WINDOW_MS,
  SAMPLE_RATE,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '../../src/contract/voice.js';
import { isPlainObject } from '../http/body.js';

export { AUTH_TIMEOUT_MS, CLOSE, FRAME_MS, SAMPLE_RATE, SUPPORTED_PROTOCOL_VERSIONS };

export const VOICE_PATH = '/v1/voice';

/** One `pcm16` frame: 320 samples, 640 bytes. */
export const FRAME_BYTES = FRAME_SAMPLES * 2;
/** Frames above this are refused by the WebSocket layer itself (close 1009). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export const HEARTBEAT_MS = 1000;
/** The gateway drops a socket it has heard nothing from for this long. */
export const LINK_TIMEOUT_MS = 5000;
/**
 * How far ahead of real time downlink audio may be sent: the client's cushion for TCP to
 * resend a lost segment (about one round trip and a bit, 170–250 ms on a mobile link) before
 * the rep hears a gap. The client still starts playing at the first frame; only on a thin link
 * (64 kbit/s) does that frame arrive later, sharing a TCP segment with the lead (bench/README.md).
 */
export const MAX_LEAD_MS = 300;
/** Unacknowledged downlink frames kept for a resume (30 s). */
export const RESEND_FRAMES = RESUME_WINDOW_MS / FRAME_MS;

/**
 * Bytes queued for a socket (its `bufferedAmount`) above which the gateway sends it nothing
 * optional (pings, pongs, warnings) and pauses its audio.
 */
export const SEND_QUEUE_LIMIT_BYTES = 256 * 1024;
/**
 * A socket whose queue stays above the limit this long is closed with 4413: by then the client
 * is seconds of audio behind and cannot follow the call anyway.
 */
export const SEND_QUEUE_CLOSE_MS = 3000;
/** How far uplink audio may run ahead of real time before frames are dropped. */
export const UPLINK_BURST_MS = 3000;
/**
 * Dropped uplink audio, less the real time that passed meanwhile, that closes the socket with
 * 4413: audio sustained at about twice real time or faster.
 */
export const UPLINK_EXCESS_CLOSE_MS = 5000;
/** A socket the gateway closed is cut off if the peer has not completed the close by then. */
export const CLOSE_GRACE_MS = 5000;

/** The `audio` object of `live` and `resumed`, but for the call's `codec`. */
export const AUDIO_FORMAT = Object.freeze({ inputSampleRate: SAMPLE_RATE, outputSampleRate: SAMPLE_RATE, frameMs: FRAME_MS });

/**
 * @typedef {{ type: string } & Record<string, unknown>} ControlMessage
 */

/**
 * Parses a text frame: one JSON object with a string `type`, at most 16 KiB.
 * @param {Buffer} data
 * @returns {ControlMessage | null} null when malformed
 */
export function parseControlMessage(data) {
  if (data.length > MAX_TEXT_FRAME_BYTES) return null;
  let value;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    return null;
  }
  if (!isPlainObject(value) || typeof value.type !== 'string') return null;
  return /** @type {ControlMessage} */ (value);
}

/**
 * @param {unknown} value
 * @returns {value is number} a non-negative safe integer
 */
export function isSeq(value) {
  return Number.isSafeInteger(value) && /** @type {number} */ (value) >= 0;
}

/**
 * A downlink binary frame: `[u32le seq][one frame of the call's codec]`.
 * @param {number} seq
 * @param {Buffer} frame
 */
export function downlinkPacket(seq, frame) {
  const packet = Buffer.allocUnsafe(4 + frame.length);
  packet.writeUInt32LE(seq, 0);
  frame.copy(packet, 4);
  return packet;
}
