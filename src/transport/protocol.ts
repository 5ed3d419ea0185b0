/**
 * The client side of the voice gateway protocol (`docs/protocol.md`): the messages the SDK
 * sends, and the validation of what the gateway sends.
 */

import { DOWNLINK_HEADER_BYTES, MAX_PCM16_FRAME_BYTES, MAX_TEXT_FRAME_BYTES, type PROTOCOL_VERSION } from '../contract/voice.js';
import { quoted } from '../utils/logger.ts';

/** A control message from the SDK to the gateway. */
export type ClientMessage =
  | { type: 'auth'; ticket: string; protocol: typeof PROTOCOL_VERSION }
  | { type: 'resume'; resumeToken: string; lastSeq: number }
  | { type: 'ping'; id: number; ack: number }
  | { type: 'pong'; id: number }
  | { type: 'bye' };

/** A control message from the gateway, reduced to the fields the SDK uses. */
export type GatewayMessage =
  | { type: 'live'; resumeToken: string; heartbeatMs: number }
  | { type: 'resumed'; heartbeatMs: number }
  | { type: 'ping'; id: number }
  | { type: 'pong'; id: number | undefined }
  | { type: 'clear' }
  | { type: 'ended'; reason: string; durationSec: number | undefined }
  | { type: 'warning'; code: string };

/** The type names of {@link GatewayMessage}. */
export type GatewayMessageType = GatewayMessage['type'];

/** A text frame from the gateway: the message it carries, or why the SDK ignores it. */
export type ParsedGatewayText = { message: GatewayMessage } | { ignored: string };

/** One frame of persona audio: its sequence number and 16-bit PCM at 16 kHz. */
export interface DownlinkFrame {
  seq: number;
  pcm: Int16Array;
}

type Fields = Record<string, unknown>;

const isPositiveInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
/**
 * The SDK's ping interval, whatever `heartbeatMs` the gateway asks for: no faster than four
 * pings a second, and often enough that the gateway, which gives up on a socket after 5 s of
 * silence, always hears from a live client.
 */
const heartbeat = (ms: number) => Math.min(2_000, Math.max(250, ms));

/**
 * Reads each known message type from a parsed object; `undefined` when a field the SDK needs
 * is missing or invalid. Numbers the SDK acts on are safe integers, and `heartbeatMs` is kept
 * within 250–2000 ms. `ended` is always honoured, whatever its fields: a call that
 * the gateway says is over must not carry on because of a bad `durationSec`.
 */
const READERS: { [K in GatewayMessageType]: (fields: Fields) => Extract<GatewayMessage, { type: K }> | undefined } = {
  live: ({ resumeToken, heartbeatMs }) =>
    typeof resumeToken === 'string' && resumeToken !== '' && isPositiveInteger(heartbeatMs)
      ? { type: 'live', resumeToken, heartbeatMs: heartbeat(heartbeatMs) }
      : undefined,
  resumed: ({ heartbeatMs }) =>
    isPositiveInteger(heartbeatMs) ? { type: 'resumed', heartbeatMs: heartbeat(heartbeatMs) } : undefined,
  ping: ({ id }) => (Number.isSafeInteger(id) ? { type: 'ping', id: id as number } : undefined),
  pong: ({ id }) => ({ type: 'pong', id: Number.isSafeInteger(id) ? (id as number) : undefined }),
  clear: () => ({ type: 'clear' }),
  ended: ({ reason, durationSec }) => ({
    type: 'ended',
    reason: typeof reason === 'string' ? reason : 'unknown',
    durationSec: Number.isSafeInteger(durationSec) && (durationSec as number) >= 0 ? (durationSec as number) : undefined,
  }),
  warning: ({ code }) => ({ type: 'warning', code: String(code) }),
};

/** Parses and validates one text frame from the gateway. Never throws. */
export function parseGatewayText(text: string): ParsedGatewayText {
  // Characters never outnumber bytes: a longer string is over the protocol's limit.
  if (text.length > MAX_TEXT_FRAME_BYTES) return { ignored: `a text frame over ${MAX_TEXT_FRAME_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ignored: 'a text frame that is not JSON' };
  }
  if (typeof value !== 'object' || value === null || typeof (value as Fields).type !== 'string') {
    return { ignored: 'a text frame that is not an object with a string type' };
  }
  const fields = value as Fields;
  const type = fields.type as string;
  if (!Object.hasOwn(READERS, type)) return { ignored: `a message of unknown type ${quoted(type)}` };
  const message = READERS[type as GatewayMessageType](fields);
  return message ? { message } : { ignored: `a '${type}' message with missing or invalid fields` };
}

/**
 * Reads a binary frame from the gateway, without copying its PCM. `undefined` when its length
 * is not 4 plus a positive even number of at most 3200 (100 ms of audio).
 */
export function parseDownlinkFrame(buffer: ArrayBuffer): DownlinkFrame | undefined {
  const pcmBytes = buffer.byteLength - DOWNLINK_HEADER_BYTES;
  if (pcmBytes <= 0 || pcmBytes % 2 !== 0 || pcmBytes > MAX_PCM16_FRAME_BYTES) return undefined;
  return { seq: new DataView(buffer).getUint32(0, true), pcm: new Int16Array(buffer, DOWNLINK_HEADER_BYTES) };
}
