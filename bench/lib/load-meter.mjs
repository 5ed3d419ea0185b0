/** What the simulated calls of the gateway load test observe during one measuring window. */
import { summarize } from './stats.mjs';

export class LoadMeter {
  /** @type {number[]} */ lateMs = [];
  /** @type {number[]} */ rttMs = [];
  /** @type {number[]} */ connectMs = [];
  /** @type {string[]} */ errors = [];

  /** Starts a new window. */
  reset() {
    this.lateMs = [];
    this.rttMs = [];
    this.connectMs = [];
    this.errors = [];
  }

  /**
   * A persona frame in an utterance, late by `ms` (0 when in time).
   * @param {number} ms
   */
  frame(ms) {
    this.lateMs.push(ms);
  }

  /**
   * A heartbeat answered after `ms`.
   * @param {number} ms
   */
  rtt(ms) {
    this.rttMs.push(ms);
  }

  /**
   * A call went from minting its token to `live` in `ms`.
   * @param {number} ms
   */
  connected(ms) {
    this.connectMs.push(ms);
  }

  /**
   * Anything that should not happen: failed connect, unexpected close, warning, lost frame.
   * @param {string} reason
   */
  error(reason) {
    this.errors.push(reason);
  }

  summary() {
    const late = this.lateMs.filter((ms) => ms > 0);
    return {
      frames: this.lateMs.length,
      lateFrames: late.length,
      lateShare: this.lateMs.length ? late.length / this.lateMs.length : 0,
      lateMs: summarize(late),
      rttMs: summarize(this.rttMs),
      connectMs: summarize(this.connectMs),
      errors: this.errors.length,
      firstErrors: [...new Set(this.errors)].slice(0, 3),
    };
  }
}
