// Init script: times the steps of connect() that happen at browser APIs: each getUserMedia
// call; each AudioContext construction; each RTCPeerConnection's construction and first
// `track` event; each <audio>.play() from call to settling; and each WebSocket (in the SDK's
// Worker, read through e2e/workerProbe.ts's traffic probe) from construction to its first
// message, and its latest message. The redemption is timed by the browser's own Resource Timing.
// Results, in performance.now() ms: window.__timeline.
// Load it after probes/audio-onsets.js, whose own AudioContext must not be counted.
/** @typedef {import('../window.d.ts').Timeline} Timeline */
(() => {
  /** @type {Timeline} */
  const timeline = { microphone: [], audioContexts: [], peers: [], plays: [], sockets: [] };
  window.__timeline = timeline;
  const now = () => performance.now();

  const mediaDevices = navigator.mediaDevices;
  const getUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
  mediaDevices.getUserMedia = async (constraints) => {
    /** @type {Timeline['microphone'][number]} */
    const entry = { start: now() };
    timeline.microphone.push(entry);
    try {
      return await getUserMedia(constraints);
    } finally {
      entry.end = now();
    }
  };

  window.AudioContext = class extends window.AudioContext {
    /** @param {ConstructorParameters<typeof AudioContext>} args */
    constructor(...args) {
      super(...args);
      timeline.audioContexts.push(now());
    }
  };

  window.RTCPeerConnection = class extends window.RTCPeerConnection {
    /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
    constructor(...args) {
      super(...args);
      /** @type {Timeline['peers'][number]} */
      const entry = { created: now() };
      timeline.peers.push(entry);
      this.addEventListener('track', () => (entry.track ??= now()));
    }
  };

  const play = HTMLMediaElement.prototype.play;
  /** @this {HTMLMediaElement} */
  HTMLMediaElement.prototype.play = function () {
    /** @type {Timeline['plays'][number]} */
    const entry = { start: now() };
    timeline.plays.push(entry);
    const playing = play.call(this);
    playing.finally(() => (entry.end ??= now())).catch(() => undefined);
    return playing;
  };

  // The SDK's sockets live in its Worker: computed from what the traffic probe reported there.
  Object.defineProperty(timeline, 'sockets', {
    get() {
      /** @type {Timeline['sockets']} */
      const sockets = [];
      for (const report of window.workerProbe.reports) {
        const index = /** @type {number} */ (report.socket);
        if (report.kind === 'created') sockets[index] = { created: report.at };
        const socket = sockets[index];
        if (report.kind === 'received' && socket) {
          socket.firstMessage ??= report.at;
          socket.lastMessage = report.at;
        }
      }
      return sockets;
    },
  });
})();
