// Init script: finds onsets of persona sound (a loud moment after at least QUIET_MS of quiet)
// at three places: in each downlink frame as it arrives at the WebSocket (in the SDK's Worker,
// read through e2e/workerProbe.ts's peak probe, which decodes Opus); in the stream the SDK
// sends into its echo-cancelling peer-connection loopback (after its jitter buffer and
// worklet); and at the SDK's <audio> element. The last two through an AnalyserNode on the
// stream. Results, in performance.now() ms:
// window.__onsets = { socket: [...], loopbackInput: [...], element: [...] }.
// window.__onsets.jitterBufferMs() reads the loopback receiver's own WebRTC jitter buffer delay;
// window.__onsets.watch(stream, list) finds onsets in any other stream.
(() => {
  const LOUD = 0.02; // of full scale
  const QUIET_MS = 200;
  const POLL_MS = 5;
  /** @type {import('../window.d.ts').AudioOnsets} */
  const onsets = { socket: [], loopbackInput: [], element: [], watch, jitterBufferMs };
  window.__onsets = onsets;

  /**
   * Feeds on the times of loud moments; records those that follow QUIET_MS of quiet.
   * @param {number[]} list
   * @returns {(at: number) => void}
   */
  function onsetsInto(list) {
    let lastLoud = -Infinity;
    return (at) => {
      if (at - lastLoud >= QUIET_MS) list.push(at);
      lastLoud = at;
    };
  }

  // Frames arrive at the SDK's socket in its Worker: computed from what the peak probe reported.
  Object.defineProperty(onsets, 'socket', {
    get() {
      /** @type {number[]} */
      const socket = [];
      const loud = onsetsInto(socket);
      for (const report of window.workerProbe.reports) {
        if (report.kind === 'downlink' && /** @type {number} */ (report.peak) >= LOUD) loud(report.at);
      }
      return socket;
    },
  });

  // The analyser's buffer ends at the context's currentTime: each sample's time is worked back
  // from there, so the poll interval does not add to the measured time.
  const NativeAudioContext = window.AudioContext;
  /** @type {AudioContext | undefined} */
  let probeContext;
  /**
   * @param {MediaStream} stream
   * @param {number[]} list
   */
  function watch(stream, list) {
    probeContext ??= new NativeAudioContext();
    const context = probeContext;
    const analyser = new AnalyserNode(context, { fftSize: 2048 });
    const source = context.createMediaStreamSource(stream);
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const loud = onsetsInto(list);
    let examinedUntil = context.currentTime;
    const poll = () => {
      if (!stream.active) {
        source.disconnect();
        return;
      }
      const now = performance.now();
      const end = context.currentTime;
      analyser.getFloatTimeDomainData(samples);
      const rate = context.sampleRate;
      const first = Math.max(0, samples.length - Math.round((end - examinedUntil) * rate));
      for (let i = first; i < samples.length; i += 1) {
        if (Math.abs(samples[i] ?? 0) >= LOUD) loud(now - ((samples.length - i) / rate) * 1000);
      }
      examinedUntil = end;
      setTimeout(poll, POLL_MS);
    };
    poll();
  }

  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  const setSrcObject = srcObject?.set;
  if (!setSrcObject) throw new Error('audio-onsets: HTMLMediaElement.srcObject has no setter');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    /**
     * @this {HTMLMediaElement}
     * @param {MediaProvider | null} stream
     */
    set(stream) {
      setSrcObject.call(this, stream);
      if (this instanceof HTMLAudioElement && stream instanceof MediaStream && stream.getAudioTracks().length) {
        watch(stream, onsets.element);
      }
    },
  });

  /** @type {RTCPeerConnection[]} */
  const peers = [];
  window.RTCPeerConnection = class extends window.RTCPeerConnection {
    /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
    constructor(...args) {
      super(...args);
      peers.push(this);
    }
  };
  /** The average time audio spent in the jitter buffer of the receiving side, per getStats. */
  async function jitterBufferMs() {
    for (const peer of peers) {
      for (const stats of (await peer.getStats()).values()) {
        if (stats.type === 'inbound-rtp' && stats.jitterBufferEmittedCount > 0) {
          return (1000 * stats.jitterBufferDelay) / stats.jitterBufferEmittedCount;
        }
      }
    }
    return null;
  }

  const addTrack = RTCPeerConnection.prototype.addTrack;
  /**
   * @this {RTCPeerConnection}
   * @param {MediaStreamTrack} track
   * @param {MediaStream[]} streams
   */
  RTCPeerConnection.prototype.addTrack = function (track, ...streams) {
    watch(new MediaStream([track]), onsets.loopbackInput);
    return addTrack.call(this, track, ...streams);
  };
})();
