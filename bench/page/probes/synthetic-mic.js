// Init script: replaces the microphone with a synthetic one that the bench drives. It is
// silent except for a click (10 ms at half scale) each time window.__mic.click() is called.
// Every uplink frame the SDK sends (in its Worker, read through e2e/workerProbe.ts's peak probe,
// which decodes Opus) is searched for the click: window.__mic.latencies holds, per click, the ms
// from the click to the send() of the first frame that carries it.
// window.__mic.clicks holds when each click was made, window.__mic.track the microphone track.
(() => {
  const CLICK_LEVEL = 0.5;
  const CLICK_MS = 10;
  const HEARD = 0.1;
  const context = new AudioContext();
  const level = new ConstantSourceNode(context, { offset: 0 });
  const destination = context.createMediaStreamDestination();
  level.connect(destination);
  level.start();

  const [track] = destination.stream.getAudioTracks();
  if (!track) throw new Error('synthetic-mic: the destination node has no audio track');
  /** @type {import('../window.d.ts').SyntheticMic} */
  const mic = {
    get latencies() {
      const heard = window.workerProbe.reports.filter(
        (report) => report.kind === 'uplink' && /** @type {number} */ (report.peak) >= HEARD,
      );
      return mic.clicks.flatMap((clickedAt, index) => {
        const next = mic.clicks[index + 1] ?? Number.POSITIVE_INFINITY;
        const sent = heard.find((report) => report.at >= clickedAt && report.at < next);
        return sent ? [sent.at - clickedAt] : [];
      });
    },
    clicks: [],
    track,
    renderPeriodMs: context.baseLatency * 1000,
    click() {
      const start = context.currentTime;
      mic.clicks.push(performance.now());
      level.offset.setValueAtTime(CLICK_LEVEL, start);
      level.offset.setValueAtTime(0, start + CLICK_MS / 1000);
    },
  };
  window.__mic = mic;

  // Each call gets its own clone: the SDK stops the tracks it was given.
  navigator.mediaDevices.getUserMedia = async () => new MediaStream([mic.track.clone()]);
})();
