/**
 * Gateway load: how many concurrent calls the local server sustains on this machine, with
 * real-time audio both ways, and where it breaks.
 *
 * The server runs in a child process; simulated calls (lib/simulated-call.mjs) are added in
 * steps. Each step holds for HOLD_MS and is judged over its last MEASURE_MS. A step breaks
 * when any of BREAKS is exceeded; the run stops at the first broken step, after the last step,
 * or at DEADLINE_MS, whichever comes first.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseWav, toFrames } from '../server/persona/audio.js';
import { single } from './lib/figures.mjs';
import { LoadMeter } from './lib/load-meter.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { SimulatedCall } from './lib/simulated-call.mjs';

const STEPS = [50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200];
const HOLD_MS = 8000;
const MEASURE_MS = 6000;
const DEADLINE_MS = 110_000;
/** New calls of a step are spread over this long, as real reps do not all click at once. */
const RAMP_MS = 1000;

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
 *   generatorCpuShare: number, generatorLoopP99Ms: number }} Measured
 * @typedef {Measured & { broken: string | null, confirmed?: boolean }} Step `broken` says why the step broke
 * @typedef {import('./lib/server-process.mjs').ServerProcess} ServerProcess
 * @typedef {import('node:perf_hooks').IntervalHistogram} Histogram
 */

const UPLINK = toFrames(parseWav(readFileSync(new URL('../e2e/fixtures/rep-speech.wav', import.meta.url)), 'rep-speech.wav'));

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
 * Opens `count` more calls, spread over RAMP_MS.
 * @param {SimulatedCall[]} calls
 * @param {number} count
 * @param {ServerProcess} server
 * @param {LoadMeter} meter
 */
async function addCalls(calls, count, server, meter) {
  const opening = [];
  for (let i = 0; i < count; i += 1) {
    const call = new SimulatedCall(UPLINK, meter);
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
    generatorCpuShare: generatorCpuMs / MEASURE_MS,
    generatorLoopP99Ms: generatorLoop.percentile(99) / 1e6,
  };
  return { ...step, broken: verdict(step) };
}

/** @param {Step} step */
function describeStep(step) {
  return (
    `gateway: ${step.calls} calls: late ${(step.lateShare * 100).toFixed(2)}% of ${step.frames} frames, ` +
    `RTT p95 ${step.rttMs.p95?.toFixed(1)} ms, server ${Math.round(step.serverCpuShare * 100)}% of a core ` +
    `(loop p99 ${step.serverLoopP99Ms.toFixed(1)} ms), generator ${Math.round(step.generatorCpuShare * 100)}%` +
    (step.broken ? ` → broken: ${step.broken}` : '')
  );
}

/** Runs the load steps; see the top of this file. */
export async function run({ log = console.error } = {}) {
  const startedAt = performance.now();
  const server = await startServerProcess();
  const meter = new LoadMeter();
  const generatorLoop = monitorEventLoopDelay({ resolution: 5 });
  generatorLoop.enable();
  /** @type {SimulatedCall[]} */
  const calls = [];
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const call of calls) call.tick(now);
  }, 10);
  /** @type {(Step & { connectMs: import('./lib/stats.mjs').Summary })[]} */
  const steps = [];
  const timeLeft = () => DEADLINE_MS - (performance.now() - startedAt);
  try {
    for (const target of STEPS) {
      if (timeLeft() < HOLD_MS + RAMP_MS) break;
      meter.reset();
      await addCalls(calls, target - calls.length, server, meter);
      const connecting = meter.summary();
      await sleep(HOLD_MS - MEASURE_MS);
      /** @type {Step} */
      let step = await measure(calls, server, meter, generatorLoop);
      // The machine is shared: a step breaks only when a second window confirms it, if time allows.
      if (step.broken && timeLeft() > MEASURE_MS) {
        log(`${describeStep(step)}; measuring again`);
        step = { ...(await measure(calls, server, meter, generatorLoop)), confirmed: true };
      } else if (step.broken) {
        step.confirmed = false;
      }
      if (connecting.errors > 0) step.broken ??= `connect errors (${connecting.firstErrors.join('; ')})`;
      steps.push({ ...step, connectMs: connecting.connectMs });
      log(describeStep(step));
      if (step.broken) break;
    }
  } finally {
    clearInterval(ticker);
    await Promise.all(calls.map((call) => call.leave()));
    await server.close();
  }
  return { figures: figuresOf(steps), details: { breaks: BREAKS, steps } };
}

/** @param {(Step & { calls: number })[]} steps */
function figuresOf(steps) {
  const passed = steps.filter((step) => !step.broken);
  const sustained = passed.at(-1);
  const broken = steps.find((step) => step.broken);
  const at = sustained ? ` at ${sustained.calls} calls` : '';
  return [
    single('Concurrent calls sustained', 'calls', sustained?.calls ?? 0, {
      runs: steps.length,
      note: broken
        ? `broke at ${broken.calls}${broken.confirmed === false ? ' (one window, no time left to confirm)' : ''}: ${broken.broken}`
        : `no step broke up to ${steps.at(-1)?.calls}`,
    }),
    single(`Gateway CPU${at}`, '% of a core', sustained ? Math.round(sustained.serverCpuShare * 1000) / 10 : null),
    single(`Heartbeat RTT p95${at}`, 'ms', sustained?.rttMs.p95 ?? null),
    single(`Late persona frames${at}`, '%', sustained ? Math.round(sustained.lateShare * 10000) / 100 : null),
  ];
}
