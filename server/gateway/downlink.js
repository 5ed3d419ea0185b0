/**
 * Persona audio towards the client: numbering, real-time pacing, and the unacknowledged frames
 * a resume sends again.
 * @module
 */
import { downlinkPacket, FRAME_MS, MAX_LEAD_MS, RESEND_FRAMES } from './protocol.js';

const TICK_MS = 10;

/**
 * @typedef {object} PlayResult
 * @property {'done' | 'cleared' | 'stopped'} outcome finished playing, cut off by barge-in, or the call ended
 * @property {number | null} startedAt wall time the first frame was sent, null if none was
 * @property {number} endedAt wall time it finished playing or was cut off
 */

/**
 * @typedef {object} Utterance
 * @property {Buffer[]} frames
 * @property {string} text
 * @property {number} next index of the next frame to send
 * @property {number | null} startedAt
 * @property {(outcome: PlayResult['outcome']) => void} resolve
 */

/**
 * @typedef {object} DownlinkIo
 * @property {(packet: Buffer) => void} send
 * @property {() => boolean} canSend false while no socket is attached or the link is stalled;
 *   time then stands still for the downlink
 * @property {(text: string, result: PlayResult) => void} finished an utterance finished, before its promise resolves
 */

export class Downlink {
  /** @param {DownlinkIo} io */
  constructor(io) {
    this.io = io;
    /** Highest `seq` sent so far. */
    this.lastSeq = 0;
    /** @type {{ seq: number, packet: Buffer }[]} sent but not acknowledged, oldest first */
    this.unacked = [];
    /** @type {Buffer[]} packets to send again, before anything new, after a resume */
    this.resend = [];
    /** @type {Utterance[]} played one after the other */
    this.queue = [];
    /** Wall time at which everything sent so far has finished playing. */
    this.playhead = 0;
    this.attached = false;
    /** @type {NodeJS.Timeout | null} runs only while attached and there is audio to play */
    this.timer = null;
  }

  /**
   * Queues an utterance: its 20 ms frames in the call's codec.
   * @param {Buffer[]} frames
   * @param {string} text
   * @returns {Promise<PlayResult['outcome']>}
   */
  play(frames, text) {
    const done = new Promise((resolve) => this.queue.push({ frames, text, next: 0, startedAt: null, resolve }));
    this.wake();
    return done;
  }

  /**
   * Starts sending to a (new) socket. Frames after `lastSeq` that were sent before go out again
   * first.
   * @param {number} lastSeq the highest `seq` the client has
   */
  attach(lastSeq) {
    this.ack(lastSeq);
    this.resend = this.unacked.map((entry) => entry.packet);
    this.playhead = Date.now();
    this.attached = true;
    this.wake();
  }

  /** No socket: nothing is sent and the current utterance waits where it is. */
  detach() {
    this.attached = false;
    this.sleep();
  }

  wake() {
    if (this.attached) this.timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  sleep() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The client has every frame up to `seq`.
   * @param {number} seq
   */
  ack(seq) {
    const keep = this.unacked.findIndex((entry) => entry.seq > seq);
    this.unacked = keep === -1 ? [] : this.unacked.slice(keep);
  }

  /**
   * Barge-in: drops everything queued and not yet played.
   * @returns {number | null} the last `seq` sent, for the `clear` message; null if nothing was playing
   */
  clear() {
    if (this.queue.length === 0) return null;
    this.finishAll('cleared');
    this.resend = [];
    this.unacked = [];
    this.playhead = Date.now();
    return this.lastSeq;
  }

  /** The call ended. */
  stop() {
    this.detach();
    this.finishAll('stopped');
  }

  /** @param {PlayResult['outcome']} outcome */
  finishAll(outcome) {
    for (const utterance of this.queue.splice(0)) this.finish(utterance, outcome, Date.now());
  }

  /**
   * @param {Utterance} utterance
   * @param {PlayResult['outcome']} outcome
   * @param {number} endedAt
   */
  finish(utterance, outcome, endedAt) {
    this.io.finished(utterance.text, { outcome, startedAt: utterance.startedAt, endedAt });
    utterance.resolve(outcome);
  }

  tick() {
    if (!this.io.canSend()) return;
    const now = Date.now();
    // Never catch up on time lost to a stall or a late timer: that would burst audio.
    this.playhead = Math.max(this.playhead, now);
    while (this.playhead < now + MAX_LEAD_MS) {
      const packet = this.nextPacket(now);
      if (!packet) break;
      this.io.send(packet);
      this.playhead += FRAME_MS;
    }
    const head = this.queue[0];
    if (head && head.next === head.frames.length && this.resend.length === 0 && now >= this.playhead) {
      this.queue.shift();
      this.finish(head, 'done', now);
    }
    if (this.queue.length === 0 && this.resend.length === 0) this.sleep();
  }

  /** @param {number} now */
  nextPacket(now) {
    const again = this.resend.shift();
    if (again) return again;
    const head = this.queue[0];
    const frame = head?.frames[head.next];
    if (!head || !frame) return null;
    head.next += 1;
    head.startedAt ??= now;
    const seq = ++this.lastSeq;
    const packet = downlinkPacket(seq, frame);
    this.unacked.push({ seq, packet });
    if (this.unacked.length > RESEND_FRAMES) this.unacked.shift();
    return packet;
  }
}
