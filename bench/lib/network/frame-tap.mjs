/**
 * Times the binary WebSocket messages a client sends (the rep's audio frames, whatever the
 * codec) as they pass a point of a TCP connection. Two taps on the same connection, one on each
 * side of the impaired link, see the same frames in the same order, so frame k at one is frame
 * k at the other: the difference is the frame's transit over the link, TCP's retransmissions
 * and queues included, and nothing about the SDK or the codec needs to be known.
 */

const HEADER_END = Buffer.from('\r\n\r\n');
const OPCODE_BINARY = 2;
/** A tap keeps at most this many times (an hour of 20 ms frames); bounded memory. */
const MAX_FRAMES = 180_000;

export class ClientFrameTap {
  /** @type {'request' | 'frames' | 'other'} */
  #state = 'request';
  #pending = Buffer.alloc(0);
  /** Payload bytes of the current frame still to pass. */
  #payloadLeft = 0;
  #binary = false;
  /** When each binary message had passed completely (epoch ms, fractional). */
  times = [];

  /**
   * Bytes the client sent, as they pass the tap.
   * @param {Buffer} chunk
   * @param {number} now epoch ms
   */
  push(chunk, now) {
    if (this.#state === 'other') return;
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    if (this.#state === 'request') {
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        this.#pending = data.length < 8192 ? data : Buffer.alloc(0);
        if (data.length >= 8192) this.#state = 'other';
        return;
      }
      const head = data.subarray(0, end).toString('latin1');
      this.#state = /^GET /.test(head) && /^upgrade:\s*websocket/im.test(head) ? 'frames' : 'other';
      data = data.subarray(end + HEADER_END.length);
    }
    while (this.#state === 'frames' && data.length > 0) {
      if (this.#payloadLeft > 0) {
        const taken = Math.min(this.#payloadLeft, data.length);
        this.#payloadLeft -= taken;
        data = data.subarray(taken);
        if (this.#payloadLeft === 0) this.#completed(now);
        continue;
      }
      const header = frameHeader(data);
      if (!header) {
        this.#pending = Buffer.from(data);
        return;
      }
      this.#binary = header.opcode === OPCODE_BINARY;
      this.#payloadLeft = header.payloadLength;
      data = data.subarray(header.length);
      if (this.#payloadLeft === 0) this.#completed(now);
    }
  }

  #completed(now) {
    if (this.#binary && this.times.length < MAX_FRAMES) this.times.push(now);
  }
}

/** The header of the frame at the start of `data`, or null while it is incomplete. */
function frameHeader(data) {
  if (data.length < 2) return null;
  const short = data[1] & 0x7f;
  const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
  const length = 2 + extra + (data[1] & 0x80 ? 4 : 0);
  if (data.length < length) return null;
  const payloadLength = short === 126 ? data.readUInt16BE(2) : short === 127 ? Number(data.readBigUInt64BE(2)) : short;
  return { opcode: data[0] & 0x0f, payloadLength, length };
}

/** Epoch milliseconds with a fraction. */
export function epochNow() {
  return performance.timeOrigin + performance.now();
}
