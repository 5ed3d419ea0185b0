// Init script: replaces the microphone with a synthetic one that the bench drives. It is
// silent except for a click (10 ms at half scale) each time window.__mic.click() is called.
// Every uplink frame the SDK hands to WebSocket.send is searched for the pending click:
// window.__mic.latencies holds, per click, the ms from the click to that send().
// window.__mic.clicks holds when each click was made, window.__mic.track the microphone track.
(() => {
  const CLICK_LEVEL = 0.5;
  const CLICK_MS = 10;
  const HEARD = 0.1 * 32768;
  const context = new AudioContext();
  const level = new ConstantSourceNode(context, { offset: 0 });
  const destination = context.createMediaStreamDestination();
  level.connect(destination);
  level.start();

  const [track] = destination.stream.getAudioTracks();
  if (!track) throw new Error('synthetic-mic: the destination node has no audio track');
  /** @type {import('../window.d.ts').SyntheticMic} */
  const mic = {
    latencies: [],
    clicks: [],
    track,
    renderPeriodMs: context.baseLatency * 1000,
    pendingSince: undefined,
    click() {
      const start = context.currentTime;
      mic.pendingSince = performance.now();
      mic.clicks.push(mic.pendingSince);
      level.offset.setValueAtTime(CLICK_LEVEL, start);
      level.offset.setValueAtTime(0, start + CLICK_MS / 1000);
    },
  };
  window.__mic = mic;

  // Each call gets its own clone: the SDK stops the tracks it was given.
  navigator.mediaDevices.getUserMedia = async () => new MediaStream([mic.track.clone()]);

  const send = WebSocket.prototype.send;
  /** @this {WebSocket} @param {Parameters<WebSocket['send']>[0]} data */
  WebSocket.prototype.send = function (data) {
    if (
      mic.pendingSince !== undefined &&
      data instanceof ArrayBuffer &&
      data.byteLength % 2 === 0 &&
      new Int16Array(data).some((s) => Math.abs(s) >= HEARD)
    ) {
      mic.latencies.push(performance.now() - mic.pendingSince);
      mic.pendingSince = undefined;
    }
    return send.call(this, data);
  };
})();
