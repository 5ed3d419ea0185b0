import { SAMPLE_RATE } from '../../contract/voice.js';

/** Levels are judged over 20 ms windows. */
const WINDOW_SAMPLES = SAMPLE_RATE / 50;
/** A window at least this loud (RMS, dB of full scale) can start speech. */
const START_DBFS = -40;
/** Once speaking, a window at least this loud keeps speech going: the hysteresis. */
const CONTINUE_DBFS = -50;
/** Consecutive loud windows that start speech (40 ms), so a click does not. */
const ONSET_WINDOWS = 2;
/** Consecutive quieter windows that end speech (400 ms), so pauses between words do not. */
const HANG_WINDOWS = 20;

const START_POWER = 10 ** (START_DBFS / 10);
const CONTINUE_POWER = 10 ** (CONTINUE_DBFS / 10);

/**
 * Energy-based voice-activity detection on 16 kHz audio, with hysteresis (a higher level to
 * start than to continue), an onset of two 20 ms windows, and a 400 ms hang time, so the state
 * follows phrases rather than syllables.
 */
export class VoiceActivityDetector {
  #speaking = false;
  #energy = 0;
  #windowFill = 0;
  /** While silent: loud windows in a row. While speaking: quiet windows in a row. */
  #run = 0;

  /** Whether speech is going on, as of the last complete window. */
  get speaking(): boolean {
    return this.#speaking;
  }

  /**
   * Feeds samples (-1 to 1) of any length; every complete 20 ms window updates the state.
   *
   * @returns whether speech is going on afterwards.
   */
  push(samples: Float32Array): boolean {
    for (const sample of samples) {
      this.#energy += sample * sample;
      this.#windowFill += 1;
      if (this.#windowFill === WINDOW_SAMPLES) {
        this.#judge(this.#energy / WINDOW_SAMPLES);
        this.#energy = 0;
        this.#windowFill = 0;
      }
    }
    return this.#speaking;
  }

  /** Forgets everything: not speaking, no partial window. */
  reset(): void {
    this.#speaking = false;
    this.#energy = 0;
    this.#windowFill = 0;
    this.#run = 0;
  }

  #judge(power: number): void {
    if (this.#speaking) {
      this.#run = power >= CONTINUE_POWER ? 0 : this.#run + 1;
      if (this.#run < HANG_WINDOWS) return;
    } else {
      this.#run = power >= START_POWER ? this.#run + 1 : 0;
      if (this.#run < ONSET_WINDOWS) return;
    }
    this.#speaking = !this.#speaking;
    this.#run = 0;
  }
}
