/**
 * The network benchmark's figures: per call, from what the page recorded and the gateway saw;
 * per profile and codec, over its calls; and the tables printed after the run.
 */
import { repeated, single } from '../figures.mjs';
import { summarize } from '../stats.mjs';
import { compareLines, pcmLevels, toDb, WINDOW_MS } from './playback-analysis.mjs';
import { BOTH_TALK, LINES, linePcm } from './profiles.mjs';

/** A rep's frame that took this much longer over the link than the call's quickest one is late. */
const LATE_MS = 100;

/** @type {Map<string, number[]>} */
const referenceLevels = new Map();
/** @param {string} file */
function reference(file) {
  const levels = referenceLevels.get(file) ?? pcmLevels(linePcm(file));
  referenceLevels.set(file, levels);
  return levels;
}

/**
 * @typedef {object} LinePlayed
 * @property {string} file
 * @property {number} saidAt when the persona was told to say it (epoch ms, as every time here)
 * @property {number} firstSeq
 * @property {number} lastSeq
 * @property {boolean} complete whether its last frame reached the page in time
 * @property {{ up: number, down: number } | null} bytes IP bytes per direction while its frames arrived
 * @property {number} arrivalMs from its first frame's arrival to its last one's
 *
 * @typedef {object} CallRecord
 * @property {string} profile
 * @property {string} codec
 * @property {LinePlayed[]} lines
 * @property {{ at: number, levels: number[] }[]} batches the page's recording (mean squares of 10 ms)
 * @property {number} reconnecting `reconnecting` events
 * @property {{ transitMs: number[][], lost: number }} uplink each of the rep's frames' time from
 *   the browser's forwarder to the gateway, per WebSocket; frames sent that never arrived
 * @property {string} [error] why the call could not finish
 */

/**
 * The recorded windows from `from` on: their levels (dB) and times.
 * @param {CallRecord['batches']} batches
 * @param {number} from
 */
function playedSince(batches, from) {
  /** @type {number[]} */
  const levels = [];
  /** @type {number[]} */
  const times = [];
  for (const { at, levels: batch } of batches) {
    batch.forEach((meanSquare, k) => {
      const time = at + k * WINDOW_MS;
      if (time < from) return;
      levels.push(toDb(meanSquare));
      times.push(time);
    });
  }
  return { levels, times };
}

/**
 * Compares the lines of a call with their references.
 * @param {CallRecord} call
 */
export function analyseCall(call) {
  const played = playedSince(call.batches, call.lines[0]?.saidAt ?? Number.POSITIVE_INFINITY);
  const { lines: results } = compareLines(
    call.lines.map((line) => reference(line.file)),
    played.levels,
  );
  const lines = call.lines.map((line, k) => {
    const result = results[k] ?? { speechWindows: 0, droppedWindows: 0, longestGapMs: 0, stretch: null, firstWindow: null };
    const heardAt = result.firstWindow === null ? undefined : played.times[result.firstWindow];
    const rate = (/** @type {number} */ bytes) => (line.arrivalMs > 0 ? (bytes * 8) / line.arrivalMs : null);
    return {
      file: line.file,
      complete: line.complete,
      ...result,
      firstSoundMs: heardAt === undefined ? null : heardAt - line.saidAt,
      downKbps: line.bytes ? rate(line.bytes.down) : null,
      upKbps: line.bytes ? rate(line.bytes.up) : null,
    };
  });
  const transits = call.uplink.transitMs.flat();
  const quickest = Math.min(...transits);
  const lateMs = transits.map((ms) => ms - quickest);
  return {
    profile: call.profile,
    codec: call.codec,
    error: call.error,
    reconnecting: call.reconnecting,
    uplinkFrames: transits.length + call.uplink.lost,
    // A frame sent but never delivered (into a socket that died, or still queued at the end) is late too.
    uplinkLate: lateMs.filter((ms) => ms > LATE_MS).length + call.uplink.lost,
    uplinkLost: call.uplink.lost,
    uplinkTransitMs: summarize(transits),
    lines,
  };
}

/** @typedef {ReturnType<typeof analyseCall>} AnalysedCall */

/**
 * The values that are numbers.
 * @param {(number | null)[]} values
 * @returns {number[]}
 */
const numbers = (values) => values.filter((value) => value !== null && Number.isFinite(value)).map(Number);

/**
 * One profile and codec, over its calls.
 * @param {AnalysedCall[]} calls
 */
function summariseCalls(calls) {
  const lines = calls.flatMap((call) => call.lines);
  const speech = lines.reduce((sum, line) => sum + line.speechWindows, 0);
  const dropped = lines.reduce((sum, line) => sum + line.droppedWindows, 0);
  const frames = calls.reduce((sum, call) => sum + call.uplinkFrames, 0);
  return {
    calls: calls.length,
    failedCalls: calls.filter((call) => call.error).length,
    lines: lines.length,
    incompleteLines: lines.filter((line) => !line.complete).length,
    dropoutPercent: speech ? (100 * dropped) / speech : null,
    longestGapMs: summarize(lines.map((line) => line.longestGapMs)),
    stretchPercent: summarize(numbers(lines.map((line) => line.stretch)).map((stretch) => 100 * stretch)),
    reconnecting: calls.reduce((sum, call) => sum + call.reconnecting, 0),
    uplinkLatePercent: frames ? (100 * calls.reduce((sum, call) => sum + call.uplinkLate, 0)) / frames : null,
    downKbps: summarize(numbers(lines.map((line) => line.downKbps))),
    upKbps: summarize(numbers(lines.map((line) => line.upKbps))),
    firstSoundMs: summarize(numbers(lines.map((line) => line.firstSoundMs))),
  };
}

/** @param {number | null | undefined} number */
function format(number, digits = 0) {
  if (number === null || number === undefined) return '–';
  return number.toFixed(Math.abs(number) < 10 && digits === 0 ? 1 : digits);
}

/** @param {{ median: number | null, max: number | null }} summary */
const pair = ({ median, max }) => `${format(median)} / ${format(max)}`;

/** @typedef {{ profile: string, codec: string, calls: AnalysedCall[], summary: ReturnType<typeof summariseCalls> }} Row */

/** @param {Row[]} rows */
function profileTable(rows) {
  const lines = [
    '| Profile | Codec | Calls / lines | Dropouts (% of speech windows) | Longest gap (ms, median / max of lines) | Stretch (%, median / max) | False `reconnecting` | Uplink frames > 100 ms late | Down kbit/s (median) | Up kbit/s (median) | `say` → first sound (ms, median) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { profile, codec, summary: s } of rows) {
    const incomplete = s.incompleteLines ? ` (${s.incompleteLines} unfinished)` : '';
    const failed = s.failedCalls ? ` (${s.failedCalls} failed)` : '';
    lines.push(
      `| ${profile} | ${codec} | ${s.calls}${failed} / ${s.lines}${incomplete} | ${format(s.dropoutPercent)} | ${pair(s.longestGapMs)} | ${pair(s.stretchPercent)} | ${s.reconnecting} | ${format(s.uplinkLatePercent)} % | ${format(s.downKbps.median)} | ${format(s.upKbps.median)} | ${format(s.firstSoundMs.median)} |`,
    );
  }
  return lines.join('\n');
}

/** @param {Row[]} rows */
function bothTalkTable(rows) {
  const lines = [
    '| Codec | Calls / lines | Down: persona → rep (kbit/s, median / max) | Up: rep → gateway (kbit/s, median / max) |',
    '| --- | --- | --- | --- |',
  ];
  for (const { codec, summary: s } of rows) {
    lines.push(`| ${codec} | ${s.calls} / ${s.lines} | ${pair(s.downKbps)} | ${pair(s.upKbps)} |`);
  }
  return lines.join('\n');
}

/**
 * The figures with the targets of issue 13 (set for Opus; pcm16 shows where the SDK starts).
 * @param {Row[]} rows
 */
function targetFigures(rows) {
  const figures = [];
  const linesOf = (/** @type {AnalysedCall[]} */ calls) => calls.flatMap((call) => call.lines);
  for (const { codec, calls } of rows.filter((row) => row.profile === BOTH_TALK.name)) {
    const lines = linesOf(calls);
    figures.push(
      repeated(`${codec}: bytes on the wire while both talk, down (IP kbit/s)`, 'kbit/s', numbers(lines.map((l) => l.downKbps)), {
        target: { max: 40, of: 'median' },
      }),
      repeated(`${codec}: bytes on the wire while both talk, up (IP kbit/s)`, 'kbit/s', numbers(lines.map((l) => l.upKbps)), {
        target: { max: 40, of: 'median' },
      }),
    );
  }
  for (const { profile, codec, summary, calls } of rows) {
    const frames = calls.reduce((sum, call) => sum + call.uplinkFrames, 0);
    if (profile.includes('kbit/s cap')) {
      figures.push(
        single(`${codec}, ${profile}: uplink frames > 100 ms late at the gateway`, '%', summary.uplinkLatePercent, {
          runs: frames,
          target: { max: 0, of: 'value' },
        }),
      );
    }
    if (profile.startsWith('mobile')) {
      figures.push(
        repeated(
          `${codec}, ${profile}: longest gap per line`,
          'ms',
          linesOf(calls).map((l) => l.longestGapMs),
          {
            target: { max: 60, of: 'p95' },
          },
        ),
      );
    }
  }
  return figures;
}

/**
 * The emulator's own lateness over the run: how precise the link was on the machine as loaded.
 * @param {import('./lab.mjs').LinkCounts} linkCounts
 */
function emulatorFigures(linkCounts) {
  const { up, down } = linkCounts;
  const delivered = Math.max(1, (up.delivered ?? 0) + (down.delivered ?? 0));
  const share = (/** @type {string} */ key) => (100 * ((up[key] ?? 0) + (down[key] ?? 0))) / delivered;
  return [
    single('link emulator: packets it delivered > 1 ms after due, whole run', '%', share('deliveredOver1msLate'), {
      runs: delivered,
    }),
    single('link emulator: packets it delivered > 5 ms after due, whole run', '%', share('deliveredOver5msLate'), {
      runs: delivered,
    }),
  ];
}

/**
 * Everything the run reports: its figures and the details kept in latest.json, tables included.
 * @param {{ rows: { profile: string, codec: string, calls: AnalysedCall[] }[], repeats: number,
 *   runMinutes: number, load: { step: string, loadAverage1m: number }[], linkCounts: import('./lab.mjs').LinkCounts }} run
 */
export function networkReport({ rows, repeats, runMinutes, load, linkCounts }) {
  const summarised = rows.map((row) => ({ ...row, summary: summariseCalls(row.calls) }));
  const loads = load.map(({ loadAverage1m }) => loadAverage1m);
  const heading =
    `Network benchmark, ${repeats} calls of ${LINES.length} lines per profile and codec; the run took ` +
    `${runMinutes.toFixed(1)} min; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`;
  const profiles = summarised.filter((row) => row.profile !== BOTH_TALK.name);
  const bothTalk = summarised.filter((row) => row.profile === BOTH_TALK.name);
  return {
    figures: [...emulatorFigures(linkCounts), ...targetFigures(summarised)],
    details: {
      tables: [
        `${heading}\n\n${profileTable(profiles)}`,
        `Bytes on the wire while both talk (clean link, a rep who talks all the time; IP bytes per direction while the persona's frames arrive):\n\n${bothTalkTable(bothTalk)}`,
      ],
      runMinutes,
      load,
      linkCounts,
      lineSeconds: Object.fromEntries(LINES.map((file) => [file, linePcm(file).length / 16_000])),
      rows: summarised,
    },
  };
}
