import { SAMPLE_RATE } from '../../contract/voice.js';

/** Persona audio arrives at the protocol's 16 kHz in frames of 20 ms. */
const FRAME_SAMPLES = 320;
/** Audio buffered before playback (re)starts, at first: one frame (20 ms). */
const INITIAL_TARGET = FRAME_SAMPLES;
/** Late frames raise the target a frame at a time, up to 60 ms. */
const MAX_TARGET = 3 * FRAME_SAMPLES;
/**
 * A frame arriving within 500 ms of running dry continues a stream that was late; after
 * that it starts a new utterance.
 */
const LATE_WINDOW = 8_000;
/** Fades and ramps at starts and stops last 5 ms, so a join never clicks. */
const FADE_SAMPLES = 80;
/**
 * At most 3 s of audio waits to be played. The gateway sends at most 300 ms ahead of real
 * time, and the link counts as dead after 2.5 s without data, so only a gateway that floods
 * gets here: frames beyond are dropped.
 */
export const MAX_DEPTH = 3 * SAMPLE_RATE;

/**
 * The playback queue of persona audio: it starts playing once a target depth is buffered,
 * fades in at every start, and at every stop (running dry, or {@link JitterBuffer.clear}) ramps
 * from the last sample played down to silence, so no join clicks. Frames that come late raise
 * the target.
 *
 * Time is counted in samples read, so the buffer needs no clock of its own.
 *
 * It counts what went wrong: a frame that arrives after playback ran dry in the middle of an
 * utterance is late (once per gap), and the silence played in that gap is counted in frames
 * concealed.
 */
export class JitterBuffer {
  readonly #frames: Int16Array[] = [];
  /** Samples of the first frame already played. */
  #played = 0;
  #depth = 0;
  #target = INITIAL_TARGET;
  #playing = false;
  /** Samples played since the last start, up to the fade length. */
  #fadeIn = 0;
  /** The last sample played, where the ramp to silence starts. */
  #last = 0;
  /** Samples left of the ramp to silence after a stop. */
  #rampLeft = 0;
  #rampFrom = 0;
  /** Samples read so far. */
  #clock = 0;
  /** When playback last ran dry, while no frame has come since. */
  #starvedAt: number | undefined;
  #late = 0;
  #concealed = 0;

  /** Samples queued and not yet played. */
  get depth(): number {
    return this.#depth;
  }

  /** Samples buffered before playback starts. */
  get target(): number {
    return this.#target;
  }

  /** Frames that arrived after playback had run dry mid-utterance; one per gap. */
  get late(): number {
    return this.#late;
  }

  /** 20 ms frames of silence played while waiting for late frames. */
  get concealed(): number {
    return this.#concealed;
  }

  /** Queues one frame of 16-bit PCM, unless {@link MAX_DEPTH} samples are already queued. */
  push(frame: Int16Array): void {
    if (this.#depth + frame.length > MAX_DEPTH) return;
    const gap = this.#starvedAt === undefined ? undefined : this.#clock - this.#starvedAt;
    if (gap !== undefined && gap < LATE_WINDOW) {
      this.#target = Math.min(MAX_TARGET, this.#target + FRAME_SAMPLES);
      this.#late += 1;
      this.#concealed += Math.max(1, Math.round(gap / FRAME_SAMPLES));
    }
    this.#starvedAt = undefined;
    this.#frames.push(frame);
    this.#depth += frame.length;
  }

  /** Fills `output` with the next samples (-1 to 1), or silence where there are none. */
  read(output: Float32Array): void {
    if (!this.#playing && this.#depth > 0 && this.#depth >= this.#target) {
      this.#playing = true;
      this.#fadeIn = 0;
    }
    const written = this.#playing ? this.#take(output) : 0;
    output.fill(0, written);
    let rampStart = 0;
    if (this.#playing && written < output.length) {
      this.#stop();
      this.#starvedAt = this.#clock + written;
      rampStart = written;
    }
    for (let i = rampStart; i < output.length && this.#rampLeft > 0; i += 1) {
      this.#rampLeft -= 1;
      output[i] = output[i]! + (this.#rampFrom * this.#rampLeft) / FADE_SAMPLES;
    }
    this.#clock += output.length;
  }

  /** Drops everything queued; what was playing ramps down over the next 5 ms. */
  clear(): void {
    if (this.#playing) this.#stop();
    this.#frames.length = 0;
    this.#played = 0;
    this.#depth = 0;
    this.#starvedAt = undefined;
  }

  #stop(): void {
    this.#playing = false;
    this.#rampFrom = this.#last;
    this.#rampLeft = FADE_SAMPLES;
  }

  /** Moves queued samples into `output` from its start; returns how many. */
  #take(output: Float32Array): number {
    let index = 0;
    while (index < output.length && this.#frames.length > 0) {
      const frame = this.#frames[0]!;
      const count = Math.min(output.length - index, frame.length - this.#played);
      for (let i = 0; i < count; i += 1) {
        const gain = this.#fadeIn < FADE_SAMPLES ? ++this.#fadeIn / FADE_SAMPLES : 1;
        output[index + i] = (frame[this.#played + i]! / 32768) * gain;
      }
      index += count;
      this.#played += count;
      this.#depth -= count;
      if (this.#played === frame.length) {
        this.#frames.shift();
        this.#played = 0;
      }
    }
    if (index > 0) this.#last = output[index - 1]!;
    return index;
  }
}
