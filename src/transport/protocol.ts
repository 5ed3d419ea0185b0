/**
 * The client side of the voice gateway protocol (`docs/protocol.md`): the messages the SDK
 * sends, and the validation of what the gateway sends.
 */

import {
  type Codec,
  DOWNLINK_HEADER_BYTES,
  MAX_OPUS_PACKET_BYTES,
  MAX_PCM16_FRAME_BYTES,
  MAX_TEXT_FRAME_BYTES,
  type PROTOCOL_VERSION,
} from '../contract/voice.js';
import { quoted } from '../utils/logger.ts';

/** A control message from the SDK to the gateway. */
export type ClientMessage =
  | { type: 'auth'; ticket: string; protocol: typeof PROTOCOL_VERSION; codecs: readonly Codec[] }
  | { type: 'resume'; resumeToken: string; lastSeq: number; codecs: readonly Codec[] }
  | { type: 'ping'; id: number; ack: number }
  | { type: 'pong'; id: number }
  | { type: 'bye' };

/** A control message from the gateway, reduced to the fields the SDK uses. */
export type GatewayMessage =
  | { type: 'live'; resumeToken: string; heartbeatMs: number; codec: string }
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

/** One frame of persona audio: its sequence number and its body, one frame of the call's codec. */
export interface DownlinkFrame {
  seq: number;
  body: Uint8Array;
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
  live: ({ resumeToken, heartbeatMs, audio }) =>
    typeof resumeToken === 'string' && resumeToken !== '' && isPositiveInteger(heartbeatMs)
      ? { type: 'live', resumeToken, heartbeatMs: heartbeat(heartbeatMs), codec: codecOf(audio) }
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
 * The codec named by `live`'s `audio`: a string as sent, to be checked against the offer, or
 * `pcm16` when the gateway names none (as a version 1 gateway does).
 */
function codecOf(audio: unknown): string {
  const codec = typeof audio === 'object' && audio !== null ? (audio as Fields).codec : undefined;
  return typeof codec === 'string' ? codec : 'pcm16';
}

/** Whether a frame body of `bytes` bytes can be one frame of `codec` (docs/protocol.md, section 4). */
const BODY_FITS: Readonly<Record<Codec, (bytes: number) => boolean>> = {
  pcm16: (bytes) => bytes > 0 && bytes <= MAX_PCM16_FRAME_BYTES && bytes % 2 === 0,
  opus: (bytes) => bytes > 0 && bytes <= MAX_OPUS_PACKET_BYTES,
};

/**
 * Reads a binary frame from the gateway, without copying its body. `undefined` when the body
 * cannot be one frame of `codec`.
 */
export function parseDownlinkFrame(buffer: ArrayBuffer, codec: Codec): DownlinkFrame | undefined {
  const bodyBytes = buffer.byteLength - DOWNLINK_HEADER_BYTES;
  if (!BODY_FITS[codec](bodyBytes)) return undefined;
  return { seq: new DataView(buffer).getUint32(0, true), body: new Uint8Array(buffer, DOWNLINK_HEADER_BYTES) };
}
