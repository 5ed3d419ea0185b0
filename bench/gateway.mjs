/**
 * Gateway: how many concurrent calls the local server sustains on this machine, with real-time
 * audio both ways, for each codec side by side; what a call puts on the wire each way; and what
 * the gateway's Opus library costs.
 *
 * The server runs in a child process; simulated calls (lib/simulated-call.mjs) are added in
 * steps. Each step holds for HOLD_MS and is judged over its last MEASURE_MS. A step breaks
 * when any of BREAKS is exceeded; a codec's run stops at the first broken step, after the last
 * step, or at DEADLINE_MS, whichever comes first. Then the same for the next codec, on a fresh
 * server. The machine's load average is recorded with each codec's run, since other work on it
 * moves the figures.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FRAME_BYTES, FRAME_MS } from '../server/gateway/protocol.js';
import { encodeFrames, OpusDecoder } from '../server/opus.js';
import { parseWav, toFrames } from '../server/persona/audio.js';
import { rms, VOICED_RMS } from '../server/persona/vad.js';
import { repeated, single } from './lib/figures.mjs';
import { LoadMeter } from './lib/load-meter.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { SimulatedCall } from './lib/simulated-call.mjs';
import { tcpWireBytes } from './lib/wire-meter.mjs';

/** @typedef {import('../src/contract/voice.js').Codec} Codec */
/** @type {Codec[]} */
const CODECS = ['pcm16', 'opus'];
const STEPS = [50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200];
const HOLD_MS = 8000;
const MEASURE_MS = 6000;
/** Per codec. */
const DEADLINE_MS = 110_000;
/** New calls of a step are spread over this long, as real reps do not all click at once. */
const RAMP_MS = 1000;
/** Calls whose bytes on the wire are measured, per codec, and over how long each way. */
const WIRE_CALLS = 5;
const WIRE_WINDOW_MS = 1200;
/** @type {import('./lib/figures.mjs').Target} the target for Opus, each way, headers included (issue 13) */
const WIRE_TARGET = { max: 40, of: 'median' };
const SPEED_RUNS = 7;

/** What breaks a step. */
const BREAKS = {
  /** Calls that failed to connect, closed unexpectedly, got a warning or lost a frame. */
  errors: 0,
  /** Share of persona frames that arrive after their playout time (lib/playout-clock.mjs). */
  lateShare: 0.01,
  /** Heartbeat round trip, 95th percentile. */
  rttP95Ms: 500,
  /** Above this event-loop delay (p99) the load generator itself is too slow to judge the gateway. */
  generatorLoopP99Ms: 50,
};

/**
 * One step's window, as measured.
 * @typedef {ReturnType<LoadMeter['summary']> & { calls: number, serverCpuShare: number, serverLoopP99Ms: number,
 *   serverRssBytes: number, serverOpusDecoders: number, generatorCpuShare: number, generatorLoopP99Ms: number }} Measured
 * @typedef {Measured & { broken: string | null, confirmed?: boolean }} Step `broken` says why the step broke
 * @typedef {Step & { connectMs: import('./lib/stats.mjs').Summary }} StepRecord
 * @typedef {{ codec: Codec, steps: StepRecord[], decodersLeft: number | null, load: { atStart: number, atEnd: number } }} CapacityRun
 * @typedef {{ codec: Codec, downlinkKbps: number[], uplinkKbps: number[] }} WireRun
 * @typedef {{ encodeMs: number[], decodeMs: number[], load: number }} SpeedRun
 * @typedef {import('./lib/server-process.mjs').ServerProcess} ServerProcess
 * @typedef {import('node:perf_hooks').IntervalHistogram} Histogram
 */

/** The e2e fixture: a rep's sentence, then silence. */
const FIXTURE = toFrames(parseWav(readFileSync(new URL('../e2e/fixtures/rep-speech.wav', import.meta.url)), 'rep-speech.wav'));
/** The sentence alone, from its first voiced frame to its last. */
const SENTENCE = (() => {
  const voiced = FIXTURE.map((frame) => rms(new Int16Array(frame.buffer, frame.byteOffset, frame.length / 2)) >= VOICED_RMS);
  return FIXTURE.slice(voiced.indexOf(true), voiced.lastIndexOf(true) + 1);
})();
const SILENCE = Array.from({ length: 50 }, () => Buffer.alloc(FRAME_BYTES));

/**
 * The same audio in each codec, encoded once, as a client's encoder would have.
 * @param {Buffer[]} frames
 * @returns {Record<Codec, Buffer[]>}
 */
const inCodec = (frames) => ({ pcm16: frames, opus: encodeFrames(frames) });
const UPLINK = { fixture: inCodec(FIXTURE), sentence: inCodec(SENTENCE), silence: inCodec(SILENCE) };

/** The machine's load average over the last minute, to one decimal. */
const load = () => Math.round((loadavg()[0] ?? 0) * 10) / 10;

/**
 * @param {Measured} step
 * @returns {string | null} why the step broke, or null
 */
function verdict(step) {
  if (step.errors > BREAKS.errors) return `errors (${step.firstErrors.join('; ')})`;
  if (step.lateShare > BREAKS.lateShare)
    return `late persona frames ${(step.lateShare * 100).toFixed(1)}% > ${BREAKS.lateShare * 100}%`;
  const rttP95 = step.rttMs.p95 ?? 0;
  if (rttP95 > BREAKS.rttP95Ms) return `heartbeat RTT p95 ${Math.round(rttP95)} ms > ${BREAKS.rttP95Ms} ms`;
  if (step.generatorLoopP99Ms > BREAKS.generatorLoopP99Ms) return 'load generator saturated (this machine, not the gateway)';
  return null;
}

/**
 * Sends every call's due audio and heartbeats every 10 ms until the returned function is called.
 * @param {SimulatedCall[]} calls
 */
function drive(calls) {
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const call of calls) call.tick(now);
  }, 10);
  return () => clearInterval(ticker);
}

/**
 * Opens `count` more calls of `codec`, spread over RAMP_MS.
 * @param {SimulatedCall[]} calls
 * @param {number} count
 * @param {Codec} codec
 * @param {ServerProcess} server
 * @param {LoadMeter} meter
 */
async function addCalls(calls, count, codec, server, meter) {
  const opening = [];
  for (let i = 0; i < count; i += 1) {
    const call = new SimulatedCall({ codec, uplink: UPLINK.fixture[codec], meter });
    opening.push(
      call.open(server).then(
        () => calls.push(call),
        (error) => meter.error(`connect: ${error.message}`),
      ),
    );
    await sleep(RAMP_MS / count);
  }
  await Promise.all(opening);
}

/**
 * Judges the calls now running over one MEASURE_MS window.
 * @param {SimulatedCall[]} calls
 * @param {ServerProcess} server
 * @param {LoadMeter} meter
 * @param {Histogram} generatorLoop
 * @returns {Promise<Step>}
 */
async function measure(calls, server, meter, generatorLoop) {
  meter.reset();
  await server.stats();
  generatorLoop.reset();
  const generatorCpu = process.cpuUsage();
  await sleep(MEASURE_MS);
  const serverStats = await server.stats();
  const generatorCpuMs = Object.values(process.cpuUsage(generatorCpu)).reduce((a, b) => a + b) / 1000;
  const step = {
    calls: calls.length,
    ...meter.summary(),
    serverCpuShare: serverStats.cpuMs / MEASURE_MS,
    serverLoopP99Ms: serverStats.loopDelayP99Ms,
    serverRssBytes: serverStats.rssBytes,
    serverOpusDecoders: serverStats.opusDecoders,
    generatorCpuShare: generatorCpuMs / MEASURE_MS,
    generatorLoopP99Ms: generatorLoop.percentile(99) / 1e6,
  };
  return { ...step, broken: verdict(step) };
}

/**
 * @param {Codec} codec
 * @param {Step} step
 */
function stepLine(codec, step) {
  return (
    `gateway ${codec}: ${step.calls} calls: late ${(step.lateShare * 100).toFixed(2)}% of ${step.frames} frames, ` +
    `RTT p95 ${step.rttMs.p95?.toFixed(1)} ms, server ${Math.round(step.serverCpuShare * 100)}% of a core ` +
    `(loop p99 ${step.serverLoopP99Ms.toFixed(1)} ms), generator ${Math.round(step.generatorCpuShare * 100)}%` +
    (step.broken ? ` → broken: ${step.broken}` : '')
  );
}

/**
 * Adds calls of one codec step by step until a step breaks; on a server of its own.
 * @param {Codec} codec
 * @param {(line: string) => void} log
 * @returns {Promise<CapacityRun>}
 */
async function capacity(codec, log) {
  const startedAt = performance.now();
  const loadAtStart = load();
  const server = await startServerProcess();
  const meter = new LoadMeter();
  const generatorLoop = monitorEventLoopDelay({ resolution: 5 });
  generatorLoop.enable();
  /** @type {SimulatedCall[]} */
  const calls = [];
  const stop = drive(calls);
  /** @type {StepRecord[]} */
  const steps = [];
  const timeLeft = () => DEADLINE_MS - (performance.now() - startedAt);
  let decodersLeft = null;
  try {
    for (const target of STEPS) {
      if (timeLeft() < HOLD_MS + RAMP_MS) break;
      meter.reset();
      await addCalls(calls, target - calls.length, codec, server, meter);
      const connecting = meter.summary();
      await sleep(HOLD_MS - MEASURE_MS);
      /** @type {Step} */
      let step = await measure(calls, server, meter, generatorLoop);
      // The machine is shared: a step breaks only when a second window confirms it, if time allows.
      if (step.broken && timeLeft() > MEASURE_MS) {
        log(`${stepLine(codec, step)}; measuring again`);
        step = { ...(await measure(calls, server, meter, generatorLoop)), confirmed: true };
      } else if (step.broken) {
        step.confirmed = false;
      }
      if (connecting.errors > 0) step.broken ??= `connect errors (${connecting.firstErrors.join('; ')})`;
      steps.push({ ...step, connectMs: connecting.connectMs });
      log(stepLine(codec, step));
      if (step.broken) break;
    }
  } finally {
    stop();
    generatorLoop.disable();
    await Promise.all(calls.map((call) => call.leave()));
    decodersLeft = (await server.close()).opusDecoders;
  }
  return { codec, steps, decodersLeft, load: { atStart: loadAtStart, atEnd: load() } };
}

/**
 * Bytes on the wire of WIRE_CALLS calls of one codec, each way: downlink while the persona
 * says its greeting (the rep's client streams silence, so the persona is not cut off), then
 * uplink while the rep speaks (the fixture's sentence, looped). The scripted persona stops
 * when the rep talks over it, so the two directions are measured one after the other.
 * @param {Codec} codec
 * @returns {Promise<WireRun>}
 */
async function wire(codec) {
  const server = await startServerProcess();
  const meter = new LoadMeter();
  const calls = Array.from({ length: WIRE_CALLS }, () => new SimulatedCall({ codec, uplink: UPLINK.silence[codec], meter }));
  const stop = drive(calls);
  // Bytes per 20 ms frame of audio, times 50 frames a second: the rate at real-time pacing,
  // which a busy machine's late timers cannot inflate or deflate.
  /** @param {'sent' | 'received'} direction */
  const snapshot = async (direction) => {
    const frames = calls.map((call) => (direction === 'sent' ? call.uplinkFrames : call.downlinkFrames));
    const wire = await tcpWireBytes(calls.map((call) => call.localPort));
    return calls.map((call, i) => ({ bytes: wire.get(call.localPort)?.[direction] ?? 0, frames: frames[i] ?? 0 }));
  };
  /** @param {'sent' | 'received'} direction */
  const window = async (direction) => {
    const before = await snapshot(direction);
    await sleep(WIRE_WINDOW_MS);
    return (await snapshot(direction)).map((after, i) => {
      const start = /** @type {(typeof before)[number]} */ (before[i]);
      return ((after.bytes - start.bytes) * 8) / ((after.frames - start.frames) * FRAME_MS);
    });
  };
  try {
    await Promise.all(calls.map((call) => call.open(server)));
    const deadline = performance.now() + 5000;
    while (calls.some((call) => call.downlinkFrames < 10) && performance.now() < deadline) await sleep(20);
    const downlink = await window('received');
    const framesAfterWindow = calls.map((call) => call.downlinkFrames);
    await sleep(300);
    // Only calls whose greeting went on after the window: one that ended inside it would count
    // the silence after it too.
    const downlinkKbps = downlink.filter(
      (_, i) => /** @type {SimulatedCall} */ (calls[i]).downlinkFrames > (framesAfterWindow[i] ?? 0),
    );
    if (downlinkKbps.length < 3)
      throw new Error(`wire ${codec}: ${WIRE_CALLS - downlinkKbps.length} greetings ended inside the window`);
    for (const call of calls) call.speak(UPLINK.sentence[codec]);
    await sleep(500);
    const uplinkKbps = await window('sent');
    if (meter.summary().errors > 0) throw new Error(`wire ${codec}: ${meter.summary().firstErrors.join('; ')}`);
    return { codec, downlinkKbps, uplinkKbps };
  } finally {
    stop();
    await Promise.all(calls.map((call) => call.leave()));
    await server.close();
  }
}

/**
 * Milliseconds to encode and to decode the fixture (about 10 s), scaled to exactly 10 s, per run.
 * @returns {SpeedRun}
 */
function opusSpeed() {
  /** @param {number} ms */
  const per10s = (ms) => (ms * 500) / FIXTURE.length;
  const encodeMs = [];
  const decodeMs = [];
  for (let run = 0; run < SPEED_RUNS; run += 1) {
    let start = performance.now();
    const packets = encodeFrames(FIXTURE);
    encodeMs.push(per10s(performance.now() - start));
    const decoder = new OpusDecoder();
    start = performance.now();
    for (const packet of packets) decoder.decode(packet);
    decodeMs.push(per10s(performance.now() - start));
    decoder.close();
  }
  return { encodeMs, decodeMs, load: load() };
}

/** Runs the benchmark; see the top of this file. */
export async function run({ log = console.error } = {}) {
  const speed = opusSpeed();
  const wires = [];
  for (const codec of CODECS) wires.push(await wire(codec));
  const runs = [];
  for (const codec of CODECS) runs.push(await capacity(codec, log));
  return {
    figures: [...runs.flatMap(capacityFigures), ...wires.flatMap(wireFigures), ...speedFigures(speed)],
    details: { breaks: BREAKS, runs, wires, speed },
  };
}

/**
 * @param {CapacityRun} run
 * @returns {import('./lib/figures.mjs').Figure[]}
 */
function capacityFigures({ codec, steps, decodersLeft, load: { atStart, atEnd } }) {
  const passed = steps.filter((step) => !step.broken);
  const sustained = passed.at(-1);
  const [first] = steps;
  const broken = steps.find((step) => step.broken);
  const at = sustained ? ` at ${sustained.calls} calls` : '';
  const outcome = broken
    ? `broke at ${broken.calls}${broken.confirmed === false ? ' (one window, no time left to confirm)' : ''}: ${broken.broken}`
    : `no step broke up to ${steps.at(-1)?.calls}`;
  /** @param {number} value */
  const round1 = (value) => Math.round(value * 10) / 10;
  return [
    single(`Concurrent calls sustained, ${codec}`, 'calls', sustained?.calls ?? 0, {
      runs: steps.length,
      note: `${outcome}; load average ${atStart} → ${atEnd} on 2 cores`,
    }),
    single(`Gateway CPU${at}, ${codec}`, '% of a core', sustained ? round1(sustained.serverCpuShare * 100) : null),
    // From the first step even when it broke: what a call costs, comparable across codecs on a busy machine.
    single(
      `Gateway CPU per call at ${first?.calls ?? 0} calls, ${codec}`,
      '% of a core',
      first ? Math.round((first.serverCpuShare * 10000) / first.calls) / 100 : null,
    ),
    single(`Gateway memory (RSS)${at}, ${codec}`, 'MB', sustained ? Math.round(sustained.serverRssBytes / 1e6) : null),
    single(`Heartbeat RTT p95${at}, ${codec}`, 'ms', sustained?.rttMs.p95 ?? null),
    single(`Late persona frames${at}, ${codec}`, '%', sustained ? Math.round(sustained.lateShare * 10000) / 100 : null),
    ...(codec === 'opus'
      ? [single('Opus decoders left open once every call ended', 'decoders', decodersLeft, { target: { max: 0, of: 'value' } })]
      : []),
  ];
}

/**
 * @param {WireRun} run
 * @returns {import('./lib/figures.mjs').Figure[]}
 */
function wireFigures({ codec, downlinkKbps, uplinkKbps }) {
  const target = codec === 'opus' ? WIRE_TARGET : undefined;
  const note = 'TCP/IPv4 and WebSocket headers included';
  return [
    repeated(`Downlink on the wire while the persona speaks, ${codec}`, 'kbit/s', downlinkKbps, { target, note }),
    repeated(`Uplink on the wire while the rep speaks, ${codec}`, 'kbit/s', uplinkKbps, { target, note }),
  ];
}

/**
 * @param {SpeedRun} run
 * @returns {import('./lib/figures.mjs').Figure[]}
 */
function speedFigures({ encodeMs, decodeMs, load: loadNow }) {
  const note = `@evan/opus wasm, 16 kHz mono, 12 kbit/s; load average ${loadNow} on 2 cores`;
  return [
    repeated('Opus encode, 10 s of speech', 'ms', encodeMs, { note }),
    repeated('Opus decode, 10 s of speech', 'ms', decodeMs, { note }),
  ];
}
