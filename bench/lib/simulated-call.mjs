/**
 * One simulated call for the gateway benchmark: a Node client that speaks docs/protocol.md
 * like the SDK does, in either codec. It sends a 20 ms uplink frame every 20 ms of real time
 * (frames it is given, looped), answers and sends heartbeats, checks every persona frame
 * (numbering, and that it is a frame of the call's codec) and times it against its playout
 * clock.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { FRAME_BYTES, FRAME_MS, HEARTBEAT_MS } from '../../server/gateway/protocol.js';
import { MAX_OPUS_PACKET_BYTES } from '../../src/contract/voice.js';
import { mintToken, redeem } from './athos-api.mjs';
import { PlayoutClock } from './playout-clock.mjs';

/** The protocol version that carries a codec offer. */
const PROTOCOL = 2;
const CONNECT_TIMEOUT_MS = 10_000;
/** After a stall of the load generator, at most this much uplink audio is sent at once. */
const MAX_UPLINK_CATCH_UP = 5;

/** @typedef {import('../../src/contract/voice.js').Codec} Codec */
/** @typedef {{ type: string, id?: number, code?: string, reason?: string, audio?: { codec: Codec } }} ControlMessage the fields read here */

/** @type {Record<Codec, (body: Buffer) => boolean>} whether `body` is one downlink frame of the codec */
const VALID_BODY = {
  pcm16: (body) => body.length === FRAME_BYTES,
  opus: (body) => body.length >= 1 && body.length <= MAX_OPUS_PACKET_BYTES,
};

export class SimulatedCall {
  /** @type {WebSocket | undefined} */
  #ws;
  #codec;
  #meter;
  /** @type {Buffer[]} */
  #uplink = [];
  #uplinkIndex = 0;
  #uplinkStart = 0;
  #uplinkSent = 0;
  #nextPingAt = 0;
  #pingId = 0;
  #pingsSent = new Map();
  #lastSeq = 0;
  #playout = new PlayoutClock();
  /** @type {((live: ControlMessage) => void) | undefined} resolves the `open()` in progress */
  #live;
  #leaving = false;

  /**
   * @param {{ codec: Codec, uplink: Buffer[], meter: import('./load-meter.mjs').LoadMeter }} options
   *   `uplink`: 20 ms frames of `codec` to send in a loop
   */
  constructor({ codec, uplink, meter }) {
    this.#codec = codec;
    this.#meter = meter;
    this.speak(uplink);
  }

  /**
   * From now on, sends these frames in a loop (from a random point) instead.
   * @param {Buffer[]} uplink
   */
  speak(uplink) {
    this.#uplink = uplink;
    this.#uplinkIndex = Math.floor(Math.random() * uplink.length);
  }

  /** Uplink frames sent so far. */
  get uplinkFrames() {
    return this.#uplinkSent;
  }

  /** Persona frames received so far. */
  get downlinkFrames() {
    return this.#lastSeq;
  }

  /** The local port of this call's connection, which names it to the kernel (lib/wire-meter.mjs). */
  get localPort() {
    // `ws` keeps its TCP socket private.
    const port = /** @type {{ _socket?: import('node:net').Socket } | undefined} */ (this.#ws)?._socket?.localPort;
    if (port === undefined) throw new Error('not connected');
    return port;
  }

  /**
   * Mints and redeems a token, opens the socket and authenticates; resolves on `live`.
   * @param {import('./athos-api.mjs').AthosEndpoint} server
   */
  async open(server) {
    const startedAt = performance.now();
    const { connectionUrl, connectionTicket } = await redeem(server, await mintToken(server));
    const ws = new WebSocket(connectionUrl, { perMessageDeflate: false });
    this.#ws = ws;
    /** @type {Promise<ControlMessage>} */
    const live = new Promise((resolve, reject) => {
      this.#live = resolve;
      setTimeout(() => reject(new Error('no live within 10 s')), CONNECT_TIMEOUT_MS).unref();
      ws.once('close', (code) => reject(new Error(`closed ${code} before live`)));
      ws.once('error', reject);
    });
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'auth', ticket: connectionTicket, protocol: PROTOCOL, codecs: [this.#codec] })),
    );
    // A Buffer: the socket's binaryType is the default 'nodebuffer'.
    ws.on('message', (data, isBinary) => this.#receive(/** @type {Buffer} */ (data), isBinary));
    try {
      const { audio } = await live;
      if (audio?.codec !== this.#codec) throw new Error(`asked for ${this.#codec}, got ${audio?.codec}`);
    } catch (error) {
      ws.terminate();
      throw error;
    }
    ws.on('close', (code) => this.#leaving || this.#meter.error(`closed ${code}`));
    ws.on('error', (error) => this.#meter.error(error.message));
    const now = performance.now();
    this.#meter.connected(now - startedAt);
    this.#uplinkStart = now;
    this.#nextPingAt = now + Math.random() * HEARTBEAT_MS;
  }

  /**
   * Sends the uplink audio and the heartbeat that are due at `now`.
   * @param {number} now
   */
  tick(now) {
    const ws = this.#ws;
    if (this.#leaving || !this.#uplinkStart || ws?.readyState !== WebSocket.OPEN) return;
    const due = Math.floor((now - this.#uplinkStart) / FRAME_MS) + 1;
    this.#uplinkSent = Math.max(this.#uplinkSent, due - MAX_UPLINK_CATCH_UP);
    for (; this.#uplinkSent < due; this.#uplinkSent += 1) {
      ws.send(/** @type {Buffer} */ (this.#uplink[this.#uplinkIndex]));
      this.#uplinkIndex = (this.#uplinkIndex + 1) % this.#uplink.length;
    }
    if (now >= this.#nextPingAt) {
      this.#nextPingAt += HEARTBEAT_MS;
      this.#pingId += 1;
      this.#pingsSent.set(this.#pingId, now);
      ws.send(JSON.stringify({ type: 'ping', id: this.#pingId, ack: this.#lastSeq }));
    }
  }

  /** Says goodbye and waits (at most 2 s) for the gateway to close. */
  async leave() {
    this.#leaving = true;
    const ws = this.#ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.send(JSON.stringify({ type: 'bye' }));
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    ws.terminate();
  }

  /**
   * @param {Buffer} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const now = performance.now();
    if (isBinary) {
      const seq = data.readUInt32LE(0);
      if (seq !== this.#lastSeq + 1) this.#meter.error(`downlink seq ${seq} after ${this.#lastSeq}`);
      if (!VALID_BODY[this.#codec](data.subarray(4))) this.#meter.error(`downlink frame of ${data.length - 4} bytes`);
      this.#lastSeq = seq;
      const late = this.#playout.arrive(now);
      if (late !== null) this.#meter.frame(late);
      return;
    }
    /** @type {ControlMessage} */
    const message = JSON.parse(data.toString());
    switch (message.type) {
      case 'live':
        this.#live?.(message);
        return;
      case 'ping':
        this.#ws?.send(JSON.stringify({ type: 'pong', id: message.id }));
        return;
      case 'pong': {
        const sentAt = this.#pingsSent.get(message.id);
        this.#pingsSent.delete(message.id);
        if (sentAt !== undefined) this.#meter.rtt(now - sentAt);
        return;
      }
      case 'clear':
        this.#playout.reset();
        return;
      default:
        if (!this.#leaving) this.#meter.error(`${message.type} ${message.code ?? message.reason ?? ''}`.trim());
    }
  }
}
