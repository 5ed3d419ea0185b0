// Init script: times the steps of connect() that happen at browser APIs: each getUserMedia
// call; each AudioContext construction; each RTCPeerConnection's construction and first
// `track` event; each <audio>.play() from call to settling; and each WebSocket from
// construction to its first message, and its latest message. The redemption is timed by the browser's own Resource Timing.
// Results, in performance.now() ms: window.__timeline.
// Load it after probes/audio-onsets.js, whose own AudioContext must not be counted.
(() => {
  const timeline = { microphone: [], audioContexts: [], peers: [], plays: [], sockets: [] };
  window.__timeline = timeline;
  const now = () => performance.now();

  const mediaDevices = navigator.mediaDevices;
  const getUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
  mediaDevices.getUserMedia = async (constraints) => {
    const entry = { start: now() };
    timeline.microphone.push(entry);
    try {
      return await getUserMedia(constraints);
    } finally {
      entry.end = now();
    }
  };

  window.AudioContext = class extends window.AudioContext {
    constructor(...args) {
      super(...args);
      timeline.audioContexts.push(now());
    }
  };

  window.RTCPeerConnection = class extends window.RTCPeerConnection {
    constructor(...args) {
      super(...args);
      const entry = { created: now() };
      timeline.peers.push(entry);
      this.addEventListener('track', () => (entry.track ??= now()));
    }
  };

  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    const entry = { start: now() };
    timeline.plays.push(entry);
    const playing = play.call(this);
    playing.finally(() => (entry.end ??= now())).catch(() => undefined);
    return playing;
  };

  window.WebSocket = class extends window.WebSocket {
    constructor(...args) {
      super(...args);
      const entry = { created: now() };
      timeline.sockets.push(entry);
      this.addEventListener('message', () => {
        entry.firstMessage ??= now();
        entry.lastMessage = now();
      });
    }
  };
})();
