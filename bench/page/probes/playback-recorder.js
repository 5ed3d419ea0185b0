// Init script of the network benchmark. Records what the SDK plays at its <audio> element:
// the level (mean square) of every 10 ms at 16 kHz, computed in an AudioWorklet of the probe's
// own, in batches of 100 ms with the performance.now() time of their first window. Notes the
// `seq` and arrival time of every new downlink frame (the first 4 bytes of a binary message,
// whatever the codec) and the codec that `live` names. Results: window.__playback = { batches,
// frames, lastSeq, codec, recording, loudUntil, recordedUntil }: `recording` is true once the
// element's audio is being measured; the element was last heard at `loudUntil` and the
// recording reaches `recordedUntil` (performance.now() ms).
(() => {
  const SAMPLE_RATE = 16000;
  const WINDOW_SAMPLES = 160;
  const WINDOW_MS = 10;
  const BATCH_WINDOWS = 10;
  /** Louder than -60 dBFS is sound; what the SDK plays between lines is digital silence. */
  const LOUD = 1e-6;
  const playback = {
    batches: [],
    frames: [],
    lastSeq: 0,
    codec: undefined,
    recording: false,
    loudUntil: 0,
    recordedUntil: 0,
  };
  window.__playback = playback;

  window.WebSocket = class extends window.WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        const at = performance.now();
        if (typeof data === 'string') {
          if (!data.includes('"live"')) return;
          const message = JSON.parse(data);
          // A server that negotiates nothing speaks pcm16.
          if (message.type === 'live') playback.codec = message.codec ?? message.audio?.codec ?? 'pcm16';
          return;
        }
        if (!(data instanceof ArrayBuffer) || data.byteLength < 4) return;
        const seq = new DataView(data).getUint32(0, true);
        if (seq <= playback.lastSeq) return;
        playback.lastSeq = seq;
        playback.frames.push([seq, at]);
      });
    }
  };

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

  async function record(stream) {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE });
    const url = URL.createObjectURL(new Blob([processor], { type: 'text/javascript' }));
    await context.audioWorklet.addModule(url);
    URL.revokeObjectURL(url);
    const node = new AudioWorkletNode(context, 'level-recorder', { numberOfInputs: 1, numberOfOutputs: 0 });
    node.port.onmessage = ({ data }) => {
      const at = performance.now() - (context.currentTime - data.start) * 1000;
      const levels = Array.from(data.levels);
      playback.batches.push({ at, levels });
      const loud = levels.findLastIndex((level) => level > LOUD);
      if (loud >= 0) playback.loudUntil = at + (loud + 1) * WINDOW_MS;
      playback.recordedUntil = at + levels.length * WINDOW_MS;
    };
    context.createMediaStreamSource(stream).connect(node);
    playback.recording = true;
  }

  let started = false;
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    set(stream) {
      srcObject.set.call(this, stream);
      if (this instanceof HTMLAudioElement && stream?.getAudioTracks().length && !started) {
        started = true;
        record(stream).catch((error) => {
          playback.error = String(error);
        });
      }
    },
  });
})();
