import { FRAME_SAMPLES, SAMPLE_RATE } from '../../contract/voice.js';
import { Resampler } from '../dsp/Resampler.ts';
import { VoiceActivityDetector } from '../dsp/VoiceActivityDetector.ts';

/** What the capture pipeline produces. */
export interface CapturePipelineEvents {
  /** One 20 ms frame of 16-bit PCM at 16 kHz; its buffer is handed over. */
  onFrame(frame: ArrayBuffer): void;
  /** Voice activity started or stopped. */
  onSpeakingChange(speaking: boolean): void;
}

/**
 * The capture side of the audio worklet, free of worklet globals: microphone samples at the
 * device rate in; protocol frames and voice-activity changes out.
 */
export class CapturePipeline {
  readonly #events: CapturePipelineEvents;
  readonly #resampler: Resampler;
  readonly #detector = new VoiceActivityDetector();
  /** Resampled audio not yet in a frame: at most one frame's worth. */
  readonly #resampled = new Float32Array(FRAME_SAMPLES);
  #frame = new Int16Array(FRAME_SAMPLES);
  #filled = 0;

  /**
   * @param inputRate - the AudioContext's sample rate.
   * @param events - where frames and voice-activity changes go.
   */
  constructor(inputRate: number, events: CapturePipelineEvents) {
    this.#events = events;
    this.#resampler = new Resampler(inputRate, SAMPLE_RATE);
  }

  /** Feeds microphone samples (-1 to 1) of any length. */
  push(input: Float32Array): void {
    this.#resampler.write(input);
    for (;;) {
      const count = this.#resampler.read(this.#resampled.subarray(0, FRAME_SAMPLES - this.#filled));
      if (count === 0) return;
      const samples = this.#resampled.subarray(0, count);
      for (let i = 0; i < count; i += 1) {
        this.#frame[this.#filled + i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
      }
      this.#filled += count;
      const wasSpeaking = this.#detector.speaking;
      if (this.#detector.push(samples) !== wasSpeaking) this.#events.onSpeakingChange(!wasSpeaking);
      if (this.#filled === FRAME_SAMPLES) {
        this.#events.onFrame(this.#frame.buffer);
        this.#frame = new Int16Array(FRAME_SAMPLES);
        this.#filled = 0;
      }
    }
  }

  /** Drops the partly filled frame and forgets voice activity (used when muting). */
  reset(): void {
    this.#filled = 0;
    this.#detector.reset();
  }
}
