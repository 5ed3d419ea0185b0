/**
 * Connect: connect() → ready and connect() → first persona sound at the SDK's <audio> element,
 * each call in a new page (as a rep loads the app), broken down by phase. The first call of the
 * browser is reported on its own: it also pays for starting Chromium's audio and media services.
 * The SDK starts its Worker and opens the call's one AudioContext (the first the page makes)
 * with getUserMedia, builds the playback path once the capture runs, beside the redemption, and
 * opens the socket in the Worker right after the redemption.
 */
import { repeated, single } from '../lib/figures.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall } from './calls.ts';
import { test } from './fixtures.ts';

const CALLS = 20;

// A silent rep: the persona greets 300 ms after `live` instead of waiting for the rep to finish.
test.use({ rep: 'silent' });

/** Page timestamps (`performance.now()` ms) of one connect, from the bench app and the probes. */
function timestamps() {
  const { microphone, audioContexts, peers, plays, sockets } = window.__timeline;
  const { socket, element } = window.__onsets;
  const redemption = performance
    .getEntriesByType('resource')
    .find((entry) => entry.name.endsWith('/roleplay/session')) as PerformanceResourceTiming;
  return {
    connect: window.bench.connectAt,
    micStart: microphone[0]!.start,
    micEnd: microphone[0]!.end!,
    redeemStart: redemption.startTime,
    redeemEnd: redemption.responseEnd,
    callContext: audioContexts[0]!,
    loopbackCreated: peers[0]!.created,
    loopbackTrack: peers[1]!.track!,
    playStart: plays[0]!.start,
    playEnd: plays[0]!.end!,
    socketCreated: sockets[0]!.created,
    live: sockets[0]!.firstMessage!,
    ready: window.bench.when('ready')!,
    firstFrame: socket[0]!,
    firstSound: element[0]!,
  };
}
type Timestamps = ReturnType<typeof timestamps>;

/** The first seven follow one another from connect() to ready; the last two from live to the first sound. */
const PHASES: [string, (t: Timestamps) => number][] = [
  ['phase: connect() → getUserMedia called', (t) => t.micStart - t.connect],
  ['phase: microphone (getUserMedia)', (t) => t.micEnd - t.micStart],
  ['phase: capture path set-up (worklet node, context running; the playback path starts)', (t) => t.redeemStart - t.micEnd],
  ['phase: redemption (POST /roleplay/session)', (t) => t.redeemEnd - t.redeemStart],
  ['phase: redemption → new WebSocket in the Worker', (t) => t.socketCreated - t.redeemEnd],
  ['phase: socket + auth (new WebSocket → live)', (t) => t.live - t.socketCreated],
  ['phase: live → ready event (the playback path, if it takes longer; the Worker → page hop)', (t) => t.ready - t.live],
  ['phase: live → first persona frame at the socket (server greeting delay)', (t) => t.firstFrame - t.live],
  ['phase: first persona frame at the socket → sound at `<audio>`', (t) => t.firstSound - t.firstFrame],
];

/** Inside the playback path, which runs alongside the redemption and the socket. */
const PLAYBACK_PATH: [string, (t: Timestamps) => number][] = [
  ["playback path: connect() → the call's AudioContext", (t) => t.callContext - t.connect],
  [
    'playback path: AudioContext → loopback RTCPeerConnection created (worklet load, capture start)',
    (t) => t.loopbackCreated - t.callContext,
  ],
  ['playback path: loopback created → track received (offer, answer)', (t) => t.loopbackTrack - t.loopbackCreated],
  ['playback path: `<audio>.play()` → resolved', (t) => t.playEnd - t.playStart],
  ['playback path: AudioContext → playing (the whole path)', (t) => t.playEnd - t.callContext],
];

test('connect', async ({ openBenchPage, athos }) => {
  const runs: Timestamps[] = [];
  for (let call = 0; call <= CALLS; call += 1) {
    const page = await openBenchPage(['audio-onsets', 'timeline']);
    await startCall(page, athos);
    await page.waitForFunction(() => window.__onsets.element.length > 0, null, { timeout: 10_000 });
    runs.push(await page.evaluate(timestamps));
    await endCall(page);
    await page.close();
  }
  const [cold, ...warm] = runs;
  const toReady = (t: Timestamps) => t.ready - t.connect;
  const figures = [
    repeated('connect() → ready', 'ms', warm.map(toReady), { target: { max: 150, of: 'median' } }),
    repeated(
      'connect() → first persona sound at `<audio>`',
      'ms',
      warm.map((t) => t.firstSound - t.connect),
    ),
    ...[...PHASES, ...PLAYBACK_PATH].map(([name, phase]) => repeated(name, 'ms', warm.map(phase))),
    single('connect() → ready, first call of the browser', 'ms', toReady(cold!)),
  ];
  recordBench('connect', figures, { runs });
});
