/**
 * Energy voice-activity detection on 20 ms frames of 16 kHz PCM16.
 * @module
 */

/** RMS level (of 32767) above which a frame counts as voiced. */
export const VOICED_RMS = 500;
const FRAME_SAMPLES = 320;
const FRAME_MS = 20;
/** Consecutive voiced frames that start speech (60 ms). */
const ONSET_FRAMES = 3;
/** Consecutive quiet frames that end speech (700 ms). */
const HANGOVER_FRAMES = 35;

/**
 * Root mean square of PCM16 samples.
 * @param {Int16Array} samples
 */
export function rms(samples) {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/**
 * @typedef {object} VadEvents
 * @property {() => void} onSpeechStart
 * @property {(ms: number) => void} onSpeechProgress `ms` more of voiced speech (the onset, then each voiced frame)
 * @property {(durationMs: number, trailingQuietMs: number) => void} onSpeechEnd
 *   `durationMs` from onset to the last voiced frame; `trailingQuietMs` how long ago that was.
 */

export class VoiceActivityDetector {
  /** @param {VadEvents} events */
  constructor(events) {
    this.events = events;
    this.pending = new Int16Array(FRAME_SAMPLES);
    this.pendingLength = 0;
    this.speaking = false;
    this.voicedRun = 0;
    this.quietRun = 0;
    this.speechFrames = 0;
  }

  /**
   * Feeds audio of any length; whole 20 ms frames are analysed as they complete.
   * @param {Int16Array} samples
   */
  push(samples) {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.pendingLength, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      if (this.pendingLength === FRAME_SAMPLES) {
        this.pendingLength = 0;
        this.step(rms(this.pending) >= VOICED_RMS);
      }
    }
  }

  /** Ends speech now (the rep went quiet without audio to show it, e.g. muted). */
  end() {
    if (!this.speaking) return;
    this.speaking = false;
    this.voicedRun = 0;
    this.events.onSpeechEnd((this.speechFrames - this.quietRun) * FRAME_MS, this.quietRun * FRAME_MS);
  }

  /** @param {boolean} voiced */
  step(voiced) {
    if (!this.speaking) {
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun < ONSET_FRAMES) return;
      this.speaking = true;
      this.speechFrames = ONSET_FRAMES;
      this.quietRun = 0;
      this.events.onSpeechStart();
      this.events.onSpeechProgress(ONSET_FRAMES * FRAME_MS);
      return;
    }
    this.speechFrames += 1;
    this.quietRun = voiced ? 0 : this.quietRun + 1;
    if (voiced) this.events.onSpeechProgress(FRAME_MS);
    else if (this.quietRun >= HANGOVER_FRAMES) this.end();
  }
}
