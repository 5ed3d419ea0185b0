import { SAMPLE_RATE } from '../../contract/voice.js';
import { JitterBuffer } from '../dsp/JitterBuffer.ts';
import { Resampler } from '../dsp/Resampler.ts';
import { VoiceActivityDetector } from '../dsp/VoiceActivityDetector.ts';
import type { PlaybackCounters } from './protocol.ts';

/**
 * The playback side of the audio worklet, free of worklet globals: persona frames in; audio at
 * the output rate, and whether it is audible, out.
 */
export class PlaybackPipeline {
  readonly #onSpeakingChange: (speaking: boolean) => void;
  readonly #buffer = new JitterBuffer();
  readonly #resampler: Resampler;
  readonly #detector = new VoiceActivityDetector();
  #played = new Float32Array(0);

  /**
   * @param outputRate - the AudioContext's sample rate.
   * @param onSpeakingChange - called when what is played becomes audible or silent.
   */
  constructor(outputRate: number, onSpeakingChange: (speaking: boolean) => void) {
    this.#onSpeakingChange = onSpeakingChange;
    this.#resampler = new Resampler(SAMPLE_RATE, outputRate);
  }

  /** Queues one persona frame of 16-bit PCM at 16 kHz. */
  push(frame: Int16Array): void {
    this.#buffer.push(frame);
  }

  /** What the jitter buffer holds and has counted so far. */
  counters(): PlaybackCounters {
    return { depth: this.#buffer.depth, late: this.#buffer.late, concealed: this.#buffer.concealed };
  }

  /** Drops everything queued; a persona that was audible is reported silent. */
  clear(): void {
    this.#buffer.clear();
    if (this.#detector.speaking) this.#onSpeakingChange(false);
    this.#detector.reset();
  }

  /** Fills `output` with the next samples at the output rate. */
  render(output: Float32Array): void {
    const needed = this.#resampler.inputNeeded(output.length);
    if (this.#played.length < needed) this.#played = new Float32Array(needed * 2);
    const played = this.#played.subarray(0, needed);
    this.#buffer.read(played);
    const wasSpeaking = this.#detector.speaking;
    if (this.#detector.push(played) !== wasSpeaking) this.#onSpeakingChange(!wasSpeaking);
    this.#resampler.write(played);
    this.#resampler.read(output);
  }
}
