/**
 * The voice gateway protocol's shared facts (docs/protocol.md): version, audio format, the
 * timings both sides rely on, and the close codes with what each means to a client. The local
 * server imports this module and the SDK bundles the parts it uses.
 * @module
 */

/** The protocol version a client sends in `auth`: 2 adds codec negotiation (section 4). */
export const PROTOCOL_VERSION = 2;

/** Audio rate in both directions, in Hz. */
export const SAMPLE_RATE = 16_000;
/** Duration of one audio frame, in ms. */
export const FRAME_MS = 20;
/** Samples in one frame: 20 ms at 16 kHz. */
export const FRAME_SAMPLES = (SAMPLE_RATE / 1000) * FRAME_MS;
/** Bytes before the audio of a downlink frame: its `seq`, an unsigned 32-bit little-endian integer. */
export const DOWNLINK_HEADER_BYTES = 4;

/**
 * The audio codecs of the protocol (docs/protocol.md, section 4). Every gateway runs `pcm16`.
 * @type {readonly ['opus', 'pcm16']}
 */
export const CODECS = /* @__PURE__ */ Object.freeze(['opus', 'pcm16']);
/** @typedef {(typeof CODECS)[number]} Codec */

/** The largest text frame (one control message) either side accepts, in bytes. */
export const MAX_TEXT_FRAME_BYTES = 16 * 1024;
/** The largest `pcm16` frame either side accepts: 100 ms. */
export const MAX_PCM16_FRAME_BYTES = 3200;
/** The largest `opus` frame: one Opus packet (RFC 6716). */
export const MAX_OPUS_PACKET_BYTES = 1275;

/**
 * The protocol versions a gateway accepts in `auth`: version 1 (no codec offer, `pcm16`) and
 * version 2. A client sends {@link PROTOCOL_VERSION}.
 * @type {readonly number[]}
 */
export const SUPPORTED_PROTOCOL_VERSIONS = /* @__PURE__ */ Object.freeze([1, 2]);

/** `auth` or `resume` must arrive this soon after a socket opens, or the gateway closes it with 4408. */
export const AUTH_TIMEOUT_MS = 5_000;
/** How long the gateway keeps a dropped call for a resume, and so how long a client tries. */
export const RESUME_WINDOW_MS = 30_000;

/** The close codes of the protocol, by name. */
export const CLOSE = /* @__PURE__ */ Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  NO_STATUS: 1005,
  ABNORMAL: 1006,
  INTERNAL_ERROR: 1011,
  INVALID_TICKET: 4001,
  TICKET_EXPIRED: 4002,
  RESUME_REFUSED: 4003,
  PROTOCOL_VIOLATION: 4400,
  TENANT_INACTIVE: 4403,
  AUTH_TIMEOUT: 4408,
  REPLACED: 4409,
  LIMIT_EXCEEDED: 4413,
  TENANT_QUOTA_EXCEEDED: 4429,
  UNAVAILABLE: 4503,
});

/**
 * What a close means to a client.
 * @typedef {object} CloseMeaning
 * @property {import('./errors.js').ErrorCode} error The error a client reports when this close ends the call.
 * @property {boolean} drop Whether, once the call is live, the link dropped rather than the call ended: the
 *   client resumes the call.
 * @property {string} message What happened, for the error's message.
 */

/**
 * The meaning of every close code but 1000 (which ends the call as `ended` does). A code not
 * listed here means `INTERNAL_ERROR`.
 * @type {Readonly<Record<number, CloseMeaning>>}
 */
export const CLOSE_MEANINGS = /* @__PURE__ */ Object.freeze({
  1001: { error: 'SERVICE_UNAVAILABLE', drop: true, message: 'The voice gateway is restarting.' },
  1005: { error: 'SERVICE_UNAVAILABLE', drop: true, message: 'The voice gateway closed the connection without a code.' },
  1006: { error: 'SERVICE_UNAVAILABLE', drop: true, message: 'The connection to the voice gateway was lost.' },
  1011: { error: 'INTERNAL_ERROR', drop: false, message: 'The voice gateway failed.' },
  4001: {
    error: 'INVALID_TOKEN',
    drop: false,
    message: 'The voice gateway refused the connection ticket: unknown, malformed or already used.',
  },
  4002: { error: 'TOKEN_EXPIRED', drop: false, message: 'The connection ticket expired before the voice connection opened.' },
  4003: {
    error: 'NETWORK_LOST',
    drop: false,
    message: 'The voice gateway refused to resume the call: it ended or its resume window passed.',
  },
  4400: { error: 'INTERNAL_ERROR', drop: false, message: 'The voice gateway reported a protocol violation.' },
  4403: { error: 'TENANT_INACTIVE', drop: false, message: 'The Athos account is inactive.' },
  4408: { error: 'INTERNAL_ERROR', drop: false, message: 'The voice gateway received no authentication in time.' },
  4409: { error: 'INTERNAL_ERROR', drop: false, message: 'A newer connection of the same call replaced this one.' },
  4413: { error: 'INTERNAL_ERROR', drop: false, message: 'The connection exceeded a limit of the voice gateway.' },
  4429: { error: 'TENANT_QUOTA_EXCEEDED', drop: false, message: 'The Athos account is over its quota.' },
  4503: { error: 'SERVICE_UNAVAILABLE', drop: true, message: 'The voice gateway is unavailable.' },
});
