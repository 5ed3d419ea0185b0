/**
 * The instruments of the network benchmark checked before they measure anything.
 *
 * The link emulator, against what it claims, with ordinary traffic through it: the
 * round trip a delay profile adds (TCP echo), the rate a capped link carries (small UDP
 * datagrams sent at twice the cap, counted in IP bytes at the emulator: fine-grained enough to
 * check the shaper to 1 %; and a bulk TCP transfer each way at 64 kbit/s, as calls use the link)
 * and the loss a lossy one has (UDP echo). The network benchmark runs it before any call and refuses to measure calls over an
 * emulator that misses its own settings.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { repeated, single } from '../figures.mjs';
import { summarize } from '../stats.mjs';
import { compareLines, pcmLevels, trimReference, WINDOW_MS } from './playback-analysis.mjs';
import { LINES, linePcm } from './profiles.mjs';

const PINGS = 40;
const PING_SPACING_MS = 25;
const BULK_MS = 4500;
/** Rates are measured after the start: over the last part of the transfer. */
const SETTLE_MS = 1500;
const FLOOD_MS = 4000;
const FLOOD_DATAGRAM_BYTES = 100;
const DATAGRAMS = 2000;
/** IPv4 and UDP headers. */
const UDP_OVERHEAD_BYTES = 28;

/**
 * @typedef {Awaited<ReturnType<typeof import('./lab.mjs').startLab>>} Lab
 * @typedef {import('./lab.mjs').Services} Services
 */

/** @param {import('./lab.mjs').LinkProfile} profile */
const symmetric = (profile) => ({ up: profile, down: profile });

/** @param {number[]} samples */
const median = (samples) => summarize(samples).median ?? Number.NaN;

/**
 * Round trips of one byte through the TCP echo service, ms.
 * @param {Services} services
 */
async function tcpRoundTrips({ host, echoPort }) {
  const socket = connect({ host, port: echoPort, noDelay: true });
  await once(socket, 'connect');
  /** @type {number[]} */
  const samples = [];
  try {
    for (let i = 0; i < PINGS; i += 1) {
      const sent = performance.now();
      socket.write('.');
      await once(socket, 'data');
      samples.push(performance.now() - sent);
      await sleep(PING_SPACING_MS);
    }
  } finally {
    socket.destroy();
  }
  return samples;
}

/**
 * Bulk TCP towards the server (`up`, to the sink) or from it (`down`, from the source): IP
 * kbit/s at the emulator.
 * @param {Lab} lab
 * @param {'up' | 'down'} direction
 */
async function bulkRate(lab, direction) {
  const { host, discardPort, sourcePort } = lab.services;
  const socket = connect({ host, port: direction === 'up' ? discardPort : sourcePort });
  socket.on('error', () => {});
  await once(socket, 'connect');
  if (direction === 'up') {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const write = () => {
      while (!socket.destroyed && socket.write(chunk));
    };
    socket.on('drain', write);
    write();
  } else {
    socket.resume();
  }
  await sleep(SETTLE_MS);
  const { delivered } = await measureWindow(lab, direction, BULK_MS - SETTLE_MS);
  socket.destroy();
  return delivered;
}

/**
 * IP kbit/s the link delivered and was offered in `direction` over the next `ms`.
 * @param {Lab} lab
 * @param {'up' | 'down'} direction
 * @param {number} ms
 */
async function measureWindow(lab, direction, ms) {
  const before = await lab.counts();
  const from = Date.now();
  await sleep(ms);
  const to = Date.now();
  const after = await lab.counts();
  const bytes = (await lab.bytesBetween(from, to))[direction];
  const offered = (after[direction].receivedBytes ?? 0) - (before[direction].receivedBytes ?? 0);
  return { delivered: (bytes * 8) / (to - from), offered: (offered * 8) / (to - from) };
}

/**
 * UDP datagrams towards the server at twice `kbps`, catching up after any late timer so the
 * offered rate holds on a busy machine: IP kbit/s the capped link delivers.
 * @param {Lab} lab
 * @param {number} kbps
 */
async function floodRate(lab, kbps) {
  const { host, echoPort } = lab.services;
  const socket = createSocket('udp4');
  const datagramsPerMs = (2 * kbps * 1000) / 8 / (FLOOD_DATAGRAM_BYTES + UDP_OVERHEAD_BYTES) / 1000;
  const payload = Buffer.alloc(FLOOD_DATAGRAM_BYTES);
  const start = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - start) * datagramsPerMs);
    for (; sent < due; sent += 1) socket.send(payload, echoPort, host);
  }, 10);
  await sleep(SETTLE_MS);
  const measured = await measureWindow(lab, 'up', FLOOD_MS - SETTLE_MS);
  clearInterval(timer);
  socket.close();
  return measured;
}

/**
 * One-way loss from UDP round trips: a datagram comes back only if neither way lost it.
 * @param {Services} services
 */
async function oneWayLoss({ host, echoPort }) {
  const socket = createSocket('udp4');
  let echoed = 0;
  socket.on('message', () => {
    echoed += 1;
  });
  for (let i = 0; i < DATAGRAMS; i += 1) {
    socket.send(Buffer.alloc(64), echoPort, host);
    if (i % 10 === 9) await sleep(10);
  }
  await sleep(1000);
  socket.close();
  return 1 - Math.sqrt(echoed / DATAGRAMS);
}

/**
 * Expects `measured` within [low, high]; else adds a line to `problems`.
 * @param {string[]} problems
 */
function expectation(problems) {
  return (
    /** @type {string} */ what,
    /** @type {number | null} */ measured,
    /** @type {number} */ low,
    /** @type {number} */ high,
  ) => {
    if (measured === null || !(measured >= low && measured <= high)) {
      problems.push(`${what}: ${measured?.toFixed(1)}, expected ${low}–${high}`);
    }
  };
}

/**
 * The analysis of a call of two lines: the first played as it is, the second with a 100 ms gap
 * in the middle of its speech; then one line with ten speech windows silenced. Everything
 * played 4 dB quieter, with ±1 dB of noise on every window, after 300 ms of silence and with
 * 500 ms between the lines.
 * @returns {string[]} what it got wrong
 */
export function checkAnalysis() {
  /** @type {string[]} */
  const problems = [];
  const expect = expectation(problems);
  const [first = [], second = []] = LINES.slice(0, 2).map((file) => pcmLevels(linePcm(file)));
  const silence = (/** @type {number} */ count) => Array.from({ length: count }, () => -120);
  const played = (/** @type {number[]} */ levels) => levels.map((level) => level - 4 + (Math.random() * 2 - 1));
  const middle = second.findIndex((level, i) => i > second.length / 2 && level > -30);
  const gapWindows = 100 / WINDOW_MS;
  const withGap = [...second.slice(0, middle), ...silence(gapWindows), ...second.slice(middle)];
  const call = compareLines([first, second], played([...silence(30), ...first, ...silence(50), ...withGap, ...silence(50)]));
  const [asIs, gapped] = call.lines;
  expect('analysis, line as is: stretch (%)', asIs?.stretch == null ? null : 100 * asIs.stretch, -1, 1);
  expect('analysis, line as is: longest gap (ms)', asIs?.longestGapMs ?? null, 0, 10);
  expect('analysis, line as is: dropouts', asIs?.droppedWindows ?? null, 0, 1);
  expect('analysis, line as is: start (window)', asIs?.firstWindow ?? null, 29, 31);
  expect('analysis, 100 ms gap: longest gap (ms)', gapped?.longestGapMs ?? null, 90, 110);
  expect('analysis, 100 ms gap: dropouts', gapped?.droppedWindows ?? null, 0, 1);
  const spoken = trimReference(second).levels.length;
  expect(
    'analysis, 100 ms gap: stretch (windows)',
    gapped?.stretch == null ? null : gapped.stretch * spoken,
    gapWindows - 1,
    gapWindows + 1,
  );
  const muted = second.map((level, i) => (i >= middle && i < middle + 10 ? -120 : level));
  const [silenced] = compareLines([second], played([...silence(30), ...muted, ...silence(50)])).lines;
  expect('analysis, 10 windows silenced: dropouts', silenced?.droppedWindows ?? null, 9, 11);
  return problems;
}

/**
 * @param {Lab} lab
 * @returns {Promise<{ figures: import('../figures.mjs').Figure[], problems: string[], details: object }>}
 */
export async function checkLink(lab) {
  /** @type {string[]} */
  const problems = [];
  const expect = expectation(problems);
  await lab.impair(symmetric({}));
  const base = await tcpRoundTrips(lab.services);
  await lab.impair(symmetric({ delayMs: 40 }));
  const delayed = await tcpRoundTrips(lab.services);
  await lab.impair(symmetric({ delayMs: 20, jitterMs: 10 }));
  const jittered = await tcpRoundTrips(lab.services);
  // Waking late only ever adds: the quickest round trips show what the delay itself adds.
  const added = Math.min(...delayed) - Math.min(...base);
  expect('RTT added by 40 ms each way (ms)', added, 78, 84);
  const jitterAdded = median(jittered) - median(base);
  expect('quickest RTT added by 20 ± 10 ms each way (ms)', Math.min(...jittered) - Math.min(...base), 18, 30);
  expect('median RTT added by 20 ± 10 ms each way (ms)', jitterAdded, 36, 60);

  const caps = [64, 200, 1000];
  /** @type {Record<number, number>} */
  const flood = {};
  for (const kbps of caps) {
    await lab.impair(symmetric({ rateBps: kbps * 1000 }));
    const { delivered: rate, offered } = await floodRate(lab, kbps);
    flood[kbps] = rate;
    expect(`UDP offered at twice a ${kbps} kbit/s cap (IP kbit/s; the sender fell behind)`, offered, kbps * 1.5, kbps * 3);
    expect(`UDP at twice a ${kbps} kbit/s cap (IP kbit/s)`, rate, kbps * 0.98, kbps * 1.02);
  }
  await lab.impair(symmetric({ rateBps: 64_000 }));
  const tcp = { up: await bulkRate(lab, 'up'), down: await bulkRate(lab, 'down') };
  for (const [direction, measured] of Object.entries(tcp)) {
    // TCP's own losses at the full queue, and a 1500-byte packet being 4 % of the window.
    expect(`bulk TCP ${direction} at a 64 kbit/s cap (IP kbit/s)`, measured, 64 * 0.85, 64 * 1.05);
  }
  await lab.impair(symmetric({ loss: 0.03 }));
  const loss = await oneWayLoss(lab.services);
  expect('one-way loss at 3 % (%)', loss * 100, 2, 4);
  await lab.impair(symmetric({}));
  await lab.reset();

  const figures = [
    repeated('link check: TCP round trip, no impairment', 'ms', base),
    single('link check: round trip added by 40 ms each way (quickest, expect 80)', 'ms', added, { runs: PINGS }),
    single('link check: round trip added by 20 ± 10 ms each way (median, expect 40–45)', 'ms', jitterAdded, { runs: PINGS }),
    ...caps.map((kbps) => single(`link check: UDP at twice a ${kbps} kbit/s cap, delivered`, 'kbit/s', flood[kbps] ?? null)),
    single('link check: bulk TCP up at a 64 kbit/s cap', 'kbit/s', tcp.up),
    single('link check: bulk TCP down at a 64 kbit/s cap', 'kbit/s', tcp.down),
    single('link check: one-way loss at 3 %, from UDP echoes', '%', loss * 100, { runs: DATAGRAMS }),
  ];
  return { figures, problems, details: { roundTripMs: { base, delayed, jittered }, floodKbps: flood, tcpKbps: tcp, loss } };
}

/**
 * Both checks; a link check that misses is run a second time (the machine is shared) before
 * this gives up.
 * @param {Lab} lab
 */
export async function checkInstruments(lab) {
  let check = await checkLink(lab);
  if (check.problems.length > 0) {
    console.error(`  link check missed (${check.problems.join('; ')}); once more`);
    check = await checkLink(lab);
  }
  const problems = [...check.problems, ...checkAnalysis()];
  if (problems.length > 0) throw new Error(`the instruments miss: ${problems.join('; ')}`);
  return check;
}
