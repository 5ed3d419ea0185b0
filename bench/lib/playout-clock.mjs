/**
 * When each persona frame is due, for a listener who starts playing an utterance the moment its
 * first frame arrives and then plays one 20 ms frame after the other. A frame that arrives after
 * its due time is late by the gap the listener hears; playback then goes on from that frame.
 * The gateway sends up to 300 ms ahead, so an unloaded gateway delivers no late frame.
 */
import { FRAME_MS } from '../../server/gateway/protocol.js';

/**
 * A frame this long past its due time starts a new utterance instead: the persona pauses at
 * least 300 ms between lines. Longer stalls inside an utterance show in the heartbeat RTT and
 * the gateway's event-loop delay instead.
 */
const UTTERANCE_GAP_MS = 250;

export class PlayoutClock {
  #due = -Infinity;

  /**
   * A frame arrived at `now` (ms). Returns how late it is (ms, 0 when in time), or null when it
   * starts an utterance.
   * @param {number} now
   * @returns {number | null}
   */
  arrive(now) {
    if (now > this.#due + UTTERANCE_GAP_MS) {
      this.#due = now + FRAME_MS;
      return null;
    }
    const late = Math.max(0, now - this.#due);
    this.#due = Math.max(this.#due, now) + FRAME_MS;
    return late;
  }

  /** The persona was cut off (`clear`): the next frame starts an utterance. */
  reset() {
    this.#due = -Infinity;
  }
}
