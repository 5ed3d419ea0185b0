/**
 * What the browser's forwarder sees of a call, read from its WebSocket messages: when each of
 * the rep's frames left the browser (per socket), when each new persona frame (`seq`) arrived
 * on the browser's side of the link, and the codec `live` names.
 */
import { OPCODE_BINARY, OPCODE_TEXT } from './frame-tap.mjs';

/** Bounded memory: an hour of 20 ms frames. */
const MAX_FRAMES = 180_000;

export class CallTraffic {
  /** @type {Map<number, number[]>} epoch ms each binary message from the browser passed, by socket */
  sent = new Map();
  /** @type {Map<number, number>} epoch ms each new downlink `seq` passed */
  arrivals = new Map();
  lastSeq = 0;
  /** @type {string | undefined} */
  codec = undefined;
  /** @type {{ seq: number, resolve: (at: number) => void }[]} */
  #waiting = [];

  /**
   * Observes one relayed connection, named by its link-side port.
   * @param {number} key
   * @returns {import('./proxy.mjs').Observer}
   */
  observe(key) {
    return {
      fromClient: (opcode, _, now) => {
        if (opcode !== OPCODE_BINARY) return;
        const times = this.sent.get(key) ?? [];
        this.sent.set(key, times);
        if (times.length < MAX_FRAMES) times.push(now);
      },
      fromServer: (opcode, head, now) => {
        if (opcode === OPCODE_TEXT) this.#control(head);
        else if (opcode === OPCODE_BINARY && head.length === 4) this.#frame(head.readUInt32LE(0), now);
      },
    };
  }

  /**
   * Resolves with the epoch ms at which downlink `seq` arrived; rejects after `timeoutMs`.
   * @param {number} seq
   * @param {number} timeoutMs
   * @returns {Promise<number>}
   */
  arrivalOf(seq, timeoutMs) {
    const at = this.arrivals.get(seq);
    if (at !== undefined || this.lastSeq >= seq) return Promise.resolve(at ?? this.arrivals.get(this.lastSeq) ?? 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((other) => other !== entry);
        reject(new Error(`persona frame ${seq} did not arrive within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const entry = {
        seq,
        resolve: (/** @type {number} */ at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.#waiting.push(entry);
    });
  }

  /** @param {Buffer} head a whole text message (control messages are small) */
  #control(head) {
    let message;
    try {
      message = JSON.parse(head.toString('utf8'));
    } catch {
      return;
    }
    // docs/protocol.md: `live` names the codec in `audio.codec`; a gateway of version 1 names none and speaks pcm16.
    if (message?.type === 'live') this.codec = message.audio?.codec ?? 'pcm16';
  }

  /**
   * @param {number} seq
   * @param {number} now epoch ms
   */
  #frame(seq, now) {
    // A resume sends unacknowledged frames again; only the first arrival counts.
    if (seq <= this.lastSeq || this.arrivals.size >= MAX_FRAMES) return;
    this.lastSeq = seq;
    this.arrivals.set(seq, now);
    const ready = this.#waiting.filter((entry) => entry.seq <= seq);
    this.#waiting = this.#waiting.filter((entry) => entry.seq > seq);
    for (const entry of ready) entry.resolve(now);
  }
}
