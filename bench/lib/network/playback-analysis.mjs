/**
 * Compares what the SDK played with the reference lines, as levels of 10 ms windows.
 *
 * The played audio went through the SDK's jitter buffer and its echo-cancelling peer-connection
 * loopback (itself an Opus codec and a WebRTC jitter buffer), so it is never the same samples:
 * the comparison is of loudness over time. An alignment (edit distance over the two level
 * sequences, dynamic programming) maps every reference window onto the played window that
 * carries it, in order; played windows that carry no reference window were inserted (a gap:
 * playback ran dry and waited), reference windows that map onto nothing, or onto a window much
 * quieter than they are, were lost (a dropout).
 */

export const WINDOW_MS = 10;
/** A reference window within this of the line's loud level is speech. */
const SPEECH_BELOW_PEAK_DB = 30;
/** A played window this far below the line's loud level is silence. */
const SILENCE_BELOW_PEAK_DB = 40;
/** A speech window played this much quieter than the reference was lost. */
const DROPOUT_DB = 20;
/** Levels are compared down to this far below the loud level; lower is all the same silence. */
const FLOOR_BELOW_PEAK_DB = 50;
/** The played level is matched to the reference's within this. */
const MAX_GAIN_DB = 12;

// Costs of the alignment, in units of 10 dB of level difference.
const MATCH_CAP = 3;
const INSERT_SILENCE = 0.2;
const INSERT_SOUND = 3;
const DELETE_SPEECH = 4;
const DELETE_SILENCE = 1;

const MOVE_MATCH = 1;
const MOVE_INSERT = 2;
const MOVE_DELETE = 3;

/**
 * Levels in dB (mean square re full scale) of 10 ms windows of 16 kHz PCM16.
 * @param {Int16Array} pcm
 */
export function pcmLevels(pcm, sampleRate = 16000) {
  const size = (sampleRate * WINDOW_MS) / 1000;
  const levels = [];
  for (let start = 0; start + size <= pcm.length; start += size) {
    let sum = 0;
    for (const sample of pcm.subarray(start, start + size)) sum += (sample / 32768) ** 2;
    levels.push(toDb(sum / size));
  }
  return levels;
}

/**
 * dB of a mean square, floored at -120.
 * @param {number} meanSquare
 */
export function toDb(meanSquare) {
  return 10 * Math.log10(Math.max(meanSquare, 1e-12));
}

/**
 * @param {number[]} values
 * @param {number} p 0–100
 */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? -120;
}

/**
 * The last index at which `test` holds, or -1.
 * @template T
 * @param {ArrayLike<T>} values
 * @param {(value: T) => boolean} test
 */
function lastIndexWhere(values, test) {
  for (let i = values.length - 1; i >= 0; i -= 1) if (test(/** @type {T} */ (values[i]))) return i;
  return -1;
}

/**
 * The reference from its first to its last speech window, and its loud level.
 * @param {number[]} levels
 */
export function trimReference(levels) {
  const peak = percentile(levels, 95);
  const speech = (/** @type {number} */ level) => level >= peak - SPEECH_BELOW_PEAK_DB;
  const first = levels.findIndex(speech);
  const last = lastIndexWhere(levels, speech);
  return { levels: levels.slice(first, last + 1), peak };
}

/**
 * @typedef {object} LineResult
 * @property {number} speechWindows the reference's speech windows
 * @property {number} droppedWindows speech windows not heard: carried by no played window, or
 *   by one 20 dB quieter
 * @property {number} longestGapMs the longest silence the playback inserted into the line
 * @property {number | null} stretch how much longer the line played than the reference (0.1 =
 *   10 % longer); null when nothing of it was heard
 * @property {number | null} firstWindow the played window where the line starts; null likewise
 */

/**
 * Aligns the lines of a call, in the order they were said, with everything played during it.
 * One alignment for the whole call, so a line that is still playing when the next one is said
 * (a stall longer than the pause between lines) is still told apart from it. Silence before the
 * first line, between lines and after the last one carries no line and costs nothing; sound
 * there costs as much as sound inserted into a line (the persona says nothing but its lines).
 * @param {number[][]} references dB levels of each line's 10 ms windows
 * @param {number[]} played dB levels of the 10 ms windows recorded at the element
 * @returns {{ lines: LineResult[], gainDb: number }}
 */
export function compareLines(references, played) {
  const trimmed = references.map(trimReference);
  const r = Float64Array.from(trimmed.flatMap(({ levels }) => levels));
  /** Per reference window: its line's loud level. */
  const peakOf = Float64Array.from(trimmed.flatMap(({ levels, peak }) => levels.map(() => peak)));
  /** The rows where a line starts or the last one has ended: silence there is free. */
  const boundaries = new Set([0]);
  for (const { levels } of trimmed) boundaries.add(Math.max(...boundaries) + levels.length);
  const loud = trimmed.reduce((sum, { peak }) => sum + peak, 0) / Math.max(1, trimmed.length);
  const heard = played.filter((level) => level > -60);
  const gainDb = heard.length ? Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, loud - percentile(heard, 95))) : 0;
  const rec = Float64Array.from(played, (level) => level + gainDb);
  const n = r.length;
  const m = rec.length;
  // Typed arrays read within their bounds; the `??` fallbacks only satisfy the type checker.
  const peakAt = (/** @type {number} */ j) => peakOf[j] ?? loud;
  const refAt = (/** @type {number} */ j) => Math.max(peakAt(j) - FLOOR_BELOW_PEAK_DB, r[j] ?? -120);
  const recAt = (/** @type {number} */ i, /** @type {number} */ j) => Math.max(peakAt(j) - FLOOR_BELOW_PEAK_DB, rec[i] ?? -120);
  const isSpeech = (/** @type {number} */ j) => (r[j] ?? -120) >= peakAt(j) - SPEECH_BELOW_PEAK_DB;
  const isSilent = (/** @type {number} */ i) => (rec[i] ?? -120) < loud - SILENCE_BELOW_PEAK_DB;
  const width = m + 1;
  // Row j of the cost: aligning the first j reference windows within the first i played ones;
  // two rows suffice, the moves are kept for the walk back.
  let previous = new Float64Array(width);
  let current = new Float64Array(width);
  const at = (/** @type {Float64Array} */ row, /** @type {number} */ i) => row[i] ?? Number.POSITIVE_INFINITY;
  const move = new Uint8Array((n + 1) * width).fill(MOVE_INSERT, 0, width);
  for (let i = 1; i <= m; i += 1) previous[i] = at(previous, i - 1) + (isSilent(i - 1) ? 0 : INSERT_SOUND);
  for (let j = 1; j <= n; j += 1) {
    const free = boundaries.has(j);
    const deleteCost = isSpeech(j - 1) ? DELETE_SPEECH : DELETE_SILENCE;
    current[0] = at(previous, 0) + deleteCost;
    move[j * width] = MOVE_DELETE;
    for (let i = 1; i <= m; i += 1) {
      const match = at(previous, i - 1) + Math.min(MATCH_CAP, Math.abs(recAt(i - 1, j - 1) - refAt(j - 1)) / 10);
      const insert = at(current, i - 1) + (isSilent(i - 1) ? (free ? 0 : INSERT_SILENCE) : INSERT_SOUND);
      const remove = at(previous, i) + deleteCost;
      const best = Math.min(match, insert, remove);
      current[i] = best;
      move[j * width + i] = best === match ? MOVE_MATCH : best === insert ? MOVE_INSERT : MOVE_DELETE;
    }
    [previous, current] = [current, previous];
  }

  // Walk back from the end: which played window carries each reference window (-1: none), and
  // which played windows were inserted into a line.
  const carriedBy = new Int32Array(n).fill(-1);
  const inserted = new Uint8Array(m);
  for (let j = n, i = m; j > 0; ) {
    const step = move[j * width + i];
    if (step === MOVE_MATCH) carriedBy[--j] = --i;
    else if (step === MOVE_DELETE) j -= 1;
    else inserted[--i] = 1;
  }
  let start = 0;
  const lines = trimmed.map(({ levels }) => {
    const rows = carriedBy.subarray(start, start + levels.length);
    const line = lineResult(
      rows,
      (k) => isSpeech(start + k),
      (i, k) => (rec[i] ?? -120) < (r[start + k] ?? -120) - DROPOUT_DB,
    );
    start += levels.length;
    if (line.firstWindow === null) return line;
    const last = rows[lastIndexWhere(rows, (i) => i >= 0)] ?? line.firstWindow;
    let longest = 0;
    for (let i = line.firstWindow, run = 0; i <= last; i += 1) {
      run = inserted[i] && isSilent(i) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return { ...line, longestGapMs: longest * WINDOW_MS };
  });
  return { lines, gainDb };
}

/**
 * Dropouts, start and stretch of one line from where its reference windows landed.
 * @param {Int32Array} carriedBy the played window carrying each of the line's windows, or -1
 * @param {(k: number) => boolean} isSpeech whether the line's window k is speech
 * @param {(i: number, k: number) => boolean} tooQuiet whether played window i is much quieter than the line's window k
 * @returns {LineResult}
 */
function lineResult(carriedBy, isSpeech, tooQuiet) {
  let speechWindows = 0;
  let droppedWindows = 0;
  carriedBy.forEach((i, k) => {
    if (!isSpeech(k)) return;
    speechWindows += 1;
    if (i < 0 || tooQuiet(i, k)) droppedWindows += 1;
  });
  const firstRef = carriedBy.findIndex((i) => i >= 0);
  const lastRef = lastIndexWhere(carriedBy, (i) => i >= 0);
  if (firstRef < 0 || droppedWindows === speechWindows) {
    return { speechWindows, droppedWindows, longestGapMs: 0, stretch: null, firstWindow: null };
  }
  const first = carriedBy[firstRef] ?? 0;
  const last = carriedBy[lastRef] ?? 0;
  return {
    speechWindows,
    droppedWindows,
    longestGapMs: 0,
    stretch: (last - first + 1) / (lastRef - firstRef + 1) - 1,
    firstWindow: first,
  };
}
