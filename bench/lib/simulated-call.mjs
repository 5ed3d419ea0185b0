/**
 * One simulated call for the gateway load test: a Node client that speaks docs/protocol.md
 * like the SDK does. It sends a 20 ms uplink frame every 20 ms of real time (a rep's recorded
 * sentence and silence, looped), answers and sends heartbeats, and times every persona frame
 * against its playout clock.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { FRAME_MS, HEARTBEAT_MS } from '../../server/gateway/protocol.js';
import { PROTOCOL_VERSION } from '../../src/contract/voice.js';
import { mintToken, redeem } from './athos-api.mjs';
import { PlayoutClock } from './playout-clock.mjs';

const CONNECT_TIMEOUT_MS = 10_000;
/** After a stall of the load generator, at most this much uplink audio is sent at once. */
const MAX_UPLINK_CATCH_UP = 5;

/** @typedef {{ type: string, id?: number, code?: string, reason?: string }} ControlMessage the fields read here */

export class SimulatedCall {
  /** @type {WebSocket | undefined} */
  #ws;
  #meter;
  #uplink;
  #uplinkIndex;
  #uplinkStart = 0;
  #uplinkSent = 0;
  #nextPingAt = 0;
  #pingId = 0;
  #pingsSent = new Map();
  #lastSeq = 0;
  #playout = new PlayoutClock();
  /** @type {(() => void) | undefined} resolves the `open()` in progress */
  #live;
  #leaving = false;

  /**
   * @param {Buffer[]} uplink 640-byte frames to send in a loop
   * @param {import('./load-meter.mjs').LoadMeter} meter
   */
  constructor(uplink, meter) {
    this.#uplink = uplink;
    this.#uplinkIndex = Math.floor(Math.random() * uplink.length);
    this.#meter = meter;
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
    /** @type {Promise<void>} */
    const live = new Promise((resolve, reject) => {
      this.#live = resolve;
      setTimeout(() => reject(new Error('no live within 10 s')), CONNECT_TIMEOUT_MS).unref();
      ws.once('close', (code) => reject(new Error(`closed ${code} before live`)));
      ws.once('error', reject);
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', ticket: connectionTicket, protocol: PROTOCOL_VERSION })));
    // A Buffer: the socket's binaryType is the default 'nodebuffer'.
    ws.on('message', (data, isBinary) => this.#receive(/** @type {Buffer} */ (data), isBinary));
    try {
      await live;
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
      this.#lastSeq = seq;
      const late = this.#playout.arrive(now);
      if (late !== null) this.#meter.frame(late);
      return;
    }
    /** @type {ControlMessage} */
    const message = JSON.parse(data.toString());
    switch (message.type) {
      case 'live':
        this.#live?.();
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
