/** Samples an analyser looks at: about 21 ms at 48 kHz. */
const WINDOW_SAMPLES = 1024;
/** The quietest level a meter shows above 0, in dB of full scale. */
const FLOOR_DBFS = -60;

/**
 * Maps the RMS of a window of samples (-1 to 1) to a meter level from 0 to 1 on a decibel
 * scale: 0 at -60 dBFS or quieter, 1 at full scale (0 dBFS). Speech into a headset sits around
 * 0.5 to 0.8.
 */
export function levelOfRms(rms: number): number {
  if (!(rms > 0)) return 0;
  const dbfs = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, 1 - dbfs / FLOOR_DBFS));
}

/**
 * The level of what flows out of an audio node, measured by an AnalyserNode on the node's own
 * context: cheap enough to read on every animation frame (one copy of 1024 samples, no
 * allocation), and free when nobody reads it.
 */
export class AudioLevel {
  readonly #analyser: AnalyserNode;
  readonly #samples = new Float32Array(WINDOW_SAMPLES);

  /** @param context - the context `source` nodes belong to. */
  constructor(context: BaseAudioContext) {
    this.#analyser = context.createAnalyser();
    this.#analyser.fftSize = WINDOW_SAMPLES;
  }

  /** Measures `source` too (several sources add up, as on the analyser's input). */
  listenTo(source: AudioNode): void {
    source.connect(this.#analyser);
  }

  /** The level (0–1, see {@link levelOfRms}) of the last ~20 ms. */
  read(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    return levelOfRms(Math.sqrt(sum / this.#samples.length));
  }
}
