/**
 * The voice on the wire, in Chromium and in Firefox against the local server: Opus where the
 * browser's WebCodecs have it (both do), pcm16 on a page whose WebCodecs were taken away, both
 * heard through the SDK's `<audio>` element and both reaching the gateway's speech detection;
 * and on Opus, a drop resumed without losing or doubling a frame, and barge-in silencing the
 * persona at once. What crosses the socket is read in the SDK's Worker (see workerProbe.ts).
 */
import type { Codec } from '../../src/contract/voice.js';
import type { ScenarioPage } from '../browsers/ScenarioPage.ts';
import {
  type AthosServerHandle,
  addWorkerProbe,
  audioElementPeak,
  expect,
  recordSocketTraffic,
  type SocketTraffic,
  socketTraffic,
  startCall,
  test,
  waitForEvent,
  withoutWebCodecs,
} from '../fixtures.ts';

/** The SDK's first socket, once the call is live on it. */
async function liveSocket(page: ScenarioPage): Promise<SocketTraffic> {
  const [socket] = await socketTraffic(page);
  if (!socket) throw new Error('the SDK opened no socket');
  return socket;
}

/**
 * Checks that the call `callId` is on `codec`, as offered, chosen and counted: the persona is
 * heard at the SDK's `<audio>` element and the rep's voice reaches the gateway's speech detection.
 */
async function expectCallOn(
  page: ScenarioPage,
  athos: AthosServerHandle,
  callId: string,
  codec: Codec,
  offer: Codec[],
): Promise<void> {
  const socket = await liveSocket(page);
  expect(socket.sent[0]).toMatchObject({ type: 'auth', protocol: 2, codecs: offer });
  expect(socket.received.find((message) => message.type === 'live')).toMatchObject({ audio: { codec } });
  expect((await athos.callStats(callId)).codec).toBe(codec);
  // The rep's looping speech may cut the persona off (barge-in): listen until it is heard.
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 30_000 }).toBeGreaterThan(0.02);
  await expect
    .poll(async () => (await athos.callStats(callId)).uplinkVoicedFrames as number, { timeout: 20_000 })
    .toBeGreaterThan(25);
}

test('a call on Opus: the persona is heard and the rep reaches the speech detection, at a fraction of the bytes', async ({
  harness: page,
  athos,
}) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await expectCallOn(page, athos, callId, 'opus', ['opus', 'pcm16']);
  const { audioSent } = await liveSocket(page);
  const bytes = audioSent.map((sent) => sent.bytes);
  // 12 to 16 kbit/s is 30 to 40 bytes per 20 ms; a pcm16 frame is 640.
  expect(bytes.length).toBeGreaterThan(50);
  expect(bytes.reduce((sum, size) => sum + size, 0) / bytes.length).toBeLessThan(80);
  expect(Math.max(...bytes)).toBeLessThan(640);
});

test('a page without WebCodecs falls back to pcm16 on the same Worker path: the persona is heard and the rep reaches the speech detection', async ({
  harness: page,
  athos,
}) => {
  // The SDK looks for WebCodecs where it runs the codec: in its Worker. Take them away there,
  // before the Worker's script runs, and in the page too.
  await addWorkerProbe(page, withoutWebCodecs);
  await page.evaluate(() => {
    for (const name of ['AudioEncoder', 'AudioDecoder', 'AudioData', 'EncodedAudioChunk']) {
      delete (window as unknown as Record<string, unknown>)[name];
    }
  });
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await expectCallOn(page, athos, callId, 'pcm16', ['pcm16']);
  const { audioSent } = await liveSocket(page);
  expect(new Set(audioSent.map((sent) => sent.bytes))).toEqual(new Set([640]));
});

test('a drop is resumed on Opus: no frame lost, none twice, and the persona is heard again', async ({ harness: page, athos }) => {
  await recordSocketTraffic(page);
  const callId = await startCall(page, athos);
  await waitForEvent(page, 'personaSpeaking', 1, 30_000);
  await athos.fault('drop');
  await waitForEvent(page, 'reconnected');
  const [, resumed] = await socketTraffic(page);
  expect(resumed?.sent[0]).toMatchObject({ type: 'resume', codecs: ['opus', 'pcm16'] });
  expect(resumed?.received.find((message) => message.type === 'resumed')).toMatchObject({ audio: { codec: 'opus' } });
  await expect.poll(() => audioElementPeak(page, 1000), { timeout: 30_000 }).toBeGreaterThan(0.02);
  const [before, after] = (await socketTraffic(page)).map((socket) => socket.seqs);
  expect(after?.length).toBeGreaterThan(0);
  const all = [...(before as number[]), ...(after as number[])];
  expect(all).toEqual(all.map((_, index) => index + 1));
  expect((await athos.callStats(callId)).resumes).toBe(1);
});

test('barge-in on Opus silences the persona at once: nothing queued plays after the clear', async ({ harness: page, athos }) => {
  await useSyntheticRep(page);
  await watchPlaybackOutput(page);
  await recordSocketTraffic(page);
  await startCall(page, athos);
  // The rep stays quiet through the start of the greeting, then talks over it.
  await waitForEvent(page, 'personaSpeaking');
  await page.evaluate(() => window.syntheticRep.talk(true));
  await expect
    .poll(async () => (await liveSocket(page)).received.some((message) => message.type === 'clear'), { timeout: 10_000 })
    .toBe(true);
  const clearedAt = (await liveSocket(page)).received.find((message) => message.type === 'clear')?.at as number;
  await page.waitForFunction((after) => performance.now() > after + 500, clearedAt);
  await page.evaluate(() => window.syntheticRep.talk(false));
  const loud = await page.evaluate(() => window.playbackOutput.loudAt);
  // The persona was playing right before the clear, and stopped within a render quantum or two of it.
  expect(loud.some((at) => at > clearedAt - 300 && at <= clearedAt)).toBe(true);
  const lastLoud = Math.max(...loud.filter((at) => at < clearedAt + 400));
  console.log(
    `[measure] barge-in: clear at the Worker → last persona sound out of the playback worklet: ${Math.round(lastLoud - clearedAt)} ms`,
  );
  expect(lastLoud - clearedAt).toBeLessThan(100);
  expect((await liveSocket(page)).received.find((message) => message.type === 'live')).toMatchObject({
    audio: { codec: 'opus' },
  });
});

/** The microphone {@link useSyntheticRep} gives the SDK, as `window.syntheticRep`. */
interface SyntheticRep {
  /** Starts or stops a steady 300 Hz tone, loud enough for the gateway's speech detection. */
  talk(on: boolean): void;
}

/** What {@link watchPlaybackOutput} records, as `window.playbackOutput`. */
interface PlaybackOutput {
  /** When (page ms) a loud sample left the SDK's playback worklet. */
  loudAt: number[];
}

declare global {
  interface Window {
    syntheticRep: SyntheticRep;
    playbackOutput: PlaybackOutput;
  }
}

/**
 * Gives the SDK a microphone the test turns on and off, instead of the looping sentence, whose
 * pauses may or may not fall on the persona's lines: the rep then talks over the persona when
 * the test says so, in either engine.
 */
function useSyntheticRep(page: ScenarioPage): Promise<void> {
  return page.evaluate(() => {
    const context = new AudioContext();
    const voice = new GainNode(context, { gain: 0 });
    const tone = new OscillatorNode(context, { frequency: 300 });
    const destination = context.createMediaStreamDestination();
    tone.connect(voice).connect(destination);
    tone.start();
    const [track] = destination.stream.getAudioTracks();
    Object.assign(window, {
      syntheticRep: { talk: (on: boolean) => voice.gain.setValueAtTime(on ? 0.3 : 0, context.currentTime) },
    });
    // Each call gets its own clone: the SDK stops the tracks it was given.
    navigator.mediaDevices.getUserMedia = async () => new MediaStream([(track as MediaStreamTrack).clone()]);
  });
}

/**
 * Records, sample-accurately, when the SDK's playback worklet outputs sound: an analyser, in the
 * SDK's own AudioContext, on the stream of the destination node the worklet plays into (before
 * the peer-connection loopback in Chromium, and its jitter buffer).
 */
function watchPlaybackOutput(page: ScenarioPage): Promise<void> {
  return page.evaluate(() => {
    const output: PlaybackOutput = { loudAt: [] };
    Object.assign(window, { playbackOutput: output });
    const createDestination = AudioContext.prototype.createMediaStreamDestination;
    AudioContext.prototype.createMediaStreamDestination = function (this: AudioContext) {
      const destination = createDestination.call(this);
      const analyser = new AnalyserNode(this, { fftSize: 2048 });
      this.createMediaStreamSource(destination.stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let examinedUntil = this.currentTime;
      const poll = () => {
        if (this.state === 'closed') return;
        const now = performance.now();
        const end = this.currentTime;
        analyser.getFloatTimeDomainData(samples);
        const first = Math.max(0, samples.length - Math.round((end - examinedUntil) * this.sampleRate));
        for (let i = first; i < samples.length; i += 1) {
          const at = now - ((samples.length - i) / this.sampleRate) * 1000;
          // One entry per millisecond of sound at most.
          if (Math.abs(samples[i] as number) >= 0.02 && !(at - (output.loudAt.at(-1) ?? -1) < 1)) output.loudAt.push(at);
        }
        examinedUntil = end;
        setTimeout(poll, 5);
      };
      poll();
      return destination;
    };
  });
}
