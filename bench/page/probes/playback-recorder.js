// Init script of the network benchmark: records what the SDK plays at its <audio> element, as
// the level (mean square) of every 10 ms at 16 kHz, computed in an AudioWorklet of the probe's
// own, in batches of 100 ms. Times are epoch ms (performance.timeOrigin + performance.now()),
// as the benchmark's relays and link emulator keep them. window.__playback = { batches: [{ at,
// levels }], recording, loudUntil, recordedUntil }: `recording` is true once the element's
// audio is being measured; it was last heard at `loudUntil` and the recording reaches
// `recordedUntil`.
(() => {
  const SAMPLE_RATE = 16000;
  const WINDOW_SAMPLES = 160;
  const WINDOW_MS = 10;
  const BATCH_WINDOWS = 10;
  /** Louder than -60 dBFS is sound; what the SDK plays between lines is digital silence. */
  const LOUD = 1e-6;
  /** @type {import('../window.d.ts').PlaybackRecorder} */
  const playback = { batches: [], recording: false, loudUntil: 0, recordedUntil: 0 };
  window.__playback = playback;

  const processor = `registerProcessor('level-recorder', class extends AudioWorkletProcessor {
    sum = 0; samples = 0; count = 0; start = 0; levels = new Float32Array(${BATCH_WINDOWS});
    process(inputs) {
      const channel = inputs[0][0];
      for (let i = 0; i < 128; i += 1) {
        if (this.samples === 0 && this.count === 0) this.start = currentTime + i / sampleRate;
        const value = channel ? channel[i] : 0;
        this.sum += value * value;
        if (++this.samples < ${WINDOW_SAMPLES}) continue;
        this.levels[this.count++] = this.sum / ${WINDOW_SAMPLES};
        this.sum = 0;
        this.samples = 0;
        if (this.count < ${BATCH_WINDOWS}) continue;
        this.port.postMessage({ start: this.start, levels: this.levels.slice() });
        this.count = 0;
      }
      return true;
    }
  });`;

  /** @param {MediaStream} stream */
  async function record(stream) {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE });
    const url = URL.createObjectURL(new Blob([processor], { type: 'text/javascript' }));
    await context.audioWorklet.addModule(url);
    URL.revokeObjectURL(url);
    const node = new AudioWorkletNode(context, 'level-recorder', { numberOfInputs: 1, numberOfOutputs: 0 });
    node.port.onmessage = ({ data }) => {
      const now = performance.timeOrigin + performance.now();
      const at = now - (context.currentTime - data.start) * 1000;
      /** @type {number[]} */
      const levels = Array.from(data.levels);
      playback.batches.push({ at, levels });
      levels.forEach((level, k) => {
        if (level > LOUD) playback.loudUntil = at + (k + 1) * WINDOW_MS;
      });
      playback.recordedUntil = at + levels.length * WINDOW_MS;
    };
    context.createMediaStreamSource(stream).connect(node);
    playback.recording = true;
  }

  let started = false;
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  const setSrcObject = srcObject?.set;
  if (!setSrcObject) throw new Error('playback-recorder: HTMLMediaElement.srcObject has no setter');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    /**
     * @this {HTMLMediaElement}
     * @param {MediaProvider | null} stream
     */
    set(stream) {
      setSrcObject.call(this, stream);
      if (this instanceof HTMLAudioElement && stream instanceof MediaStream && stream.getAudioTracks().length && !started) {
        started = true;
        record(stream).catch((error) => {
          playback.error = String(error);
        });
      }
    },
  });
})();
