/**
 * Reads one direction of a WebSocket connection as it passes a relay: after the HTTP handshake
 * (the client's upgrade request or the server's 101), every message's opcode, the first bytes of
 * its payload (unmasked) and when its last byte passed. Enough to time the rep's audio frames
 * and to read the `seq` of the persona's and the `live` message, whatever the codec and
 * wherever in the browser the socket lives (page or Worker).
 */

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HANDSHAKE_BYTES = 8192;
export const OPCODE_TEXT = 1;
export const OPCODE_BINARY = 2;
/** Text messages are kept whole up to this (control messages are small); binary ones only their `seq`. */
const TEXT_HEAD_BYTES = 4096;
const BINARY_HEAD_BYTES = 4;

/**
 * @typedef {(opcode: number, head: Buffer, now: number) => void} OnMessage
 *   `head`: the first bytes of the payload; `now`: epoch ms when the message had passed
 */

export class WebSocketTap {
  /** @type {'handshake' | 'frames' | 'other'} */
  #state = 'handshake';
  /** @type {Buffer} bytes of a handshake or frame header not complete yet */
  #pending = Buffer.alloc(0);
  /** @type {{ opcode: number, mask: Buffer | null, left: number, offset: number, head: Buffer, headLength: number } | null} */
  #frame = null;
  #onMessage;

  /** @param {OnMessage} onMessage */
  constructor(onMessage) {
    this.#onMessage = onMessage;
  }

  /**
   * Bytes of this direction, as they pass.
   * @param {Buffer} chunk
   * @param {number} now epoch ms
   */
  push(chunk, now) {
    if (this.#state === 'other') return;
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    if (this.#state === 'handshake') {
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        if (data.length < MAX_HANDSHAKE_BYTES) this.#pending = data;
        else this.#state = 'other';
        return;
      }
      const head = data.subarray(0, end).toString('latin1');
      const upgrade = /^GET /.test(head) && /^upgrade:\s*websocket/im.test(head);
      this.#state = upgrade || /^HTTP\/1\.1 101/.test(head) ? 'frames' : 'other';
      data = data.subarray(end + HEADER_END.length);
    }
    while (this.#state === 'frames') {
      if (!this.#frame) {
        const header = frameHeader(data);
        if (!header) {
          this.#pending = Buffer.from(data);
          return;
        }
        this.#frame = header;
        data = data.subarray(header.headerLength);
      }
      const frame = this.#frame;
      const taken = Math.min(frame.left, data.length);
      for (let i = 0; i < taken && frame.headLength < frame.head.length; i += 1) {
        const mask = frame.mask?.[(frame.offset + i) % 4] ?? 0;
        frame.head[frame.headLength++] = (data[i] ?? 0) ^ mask;
      }
      frame.left -= taken;
      frame.offset += taken;
      data = data.subarray(taken);
      if (frame.left === 0) {
        this.#frame = null;
        this.#onMessage(frame.opcode, frame.head.subarray(0, frame.headLength), now);
      }
      if (data.length === 0) return;
    }
  }
}

/**
 * The header of the frame at the start of `data`, or null while it is incomplete.
 * @param {Buffer} data
 */
function frameHeader(data) {
  const [first = 0, second = 0] = data;
  if (data.length < 2) return null;
  const short = second & 0x7f;
  const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
  const masked = (second & 0x80) !== 0;
  const headerLength = 2 + extra + (masked ? 4 : 0);
  if (data.length < headerLength) return null;
  const left = short === 126 ? data.readUInt16BE(2) : short === 127 ? Number(data.readBigUInt64BE(2)) : short;
  const opcode = first & 0x0f;
  const keep = opcode === OPCODE_TEXT ? TEXT_HEAD_BYTES : opcode === OPCODE_BINARY ? BINARY_HEAD_BYTES : 0;
  return {
    opcode,
    mask: masked ? Buffer.from(data.subarray(2 + extra, headerLength)) : null,
    left,
    offset: 0,
    headerLength,
    head: Buffer.alloc(Math.min(keep, left)),
    headLength: 0,
  };
}

/** Epoch milliseconds with a fraction. */
export function epochNow() {
  return performance.timeOrigin + performance.now();
}
