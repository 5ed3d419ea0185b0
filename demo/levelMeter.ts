/**
 * A live input level for the demo page. The SDK does not expose levels, so the page opens its
 * own capture of the same microphone and measures it with an AnalyserNode. It runs only while
 * a call is live and releases the microphone when stopped.
 */
export class LevelMeter {
  readonly #onLevel: (level: number) => void;
  #stream: MediaStream | undefined;
  #context: AudioContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Bumped by every start and stop, so a start that finishes late does not leak its capture. */
  #generation = 0;

  /** @param onLevel - receives the peak level (0–1) of the last 50 ms, 20 times a second. */
  constructor(onLevel: (level: number) => void) {
    this.#onLevel = onLevel;
  }

  /** Measures `deviceId` (the default microphone when absent), replacing any earlier capture. */
  async start(deviceId?: string): Promise<void> {
    this.stop();
    const generation = this.#generation;
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: deviceId ? { deviceId: { exact: deviceId } } : true,
    });
    if (generation !== this.#generation) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.#stream = stream;
    this.#context = context;
    this.#timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      this.#onLevel(Math.min(1, peak));
    }, 50);
  }

  /** Stops measuring and releases the microphone. Idempotent. */
  stop(): void {
    this.#generation += 1;
    clearInterval(this.#timer);
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    void this.#context?.close();
    this.#stream = undefined;
    this.#context = undefined;
    this.#timer = undefined;
    this.#onLevel(0);
  }
}
