/**
 * Compares what the SDK played with the reference line, as levels of 10 ms windows.
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
 * Aligns a reference line with what was played while it was due.
 * @param {number[]} reference dB levels of the reference line's 10 ms windows
 * @param {number[]} played dB levels of the 10 ms windows recorded at the element over the span
 *   in which this line, and only this line, could be heard
 * @returns {{ speechWindows: number, droppedWindows: number, longestGapMs: number,
 *   stretch: number | null, firstWindow: number | null, gainDb: number }}
 *   `stretch`: how much longer the line played than the reference (0.1 = 10 % longer);
 *   `firstWindow`: the played window where the line starts; both null if nothing was heard
 */
export function compareLine(reference, played) {
  const { levels: ref, peak } = trimReference(reference);
  const floor = peak - FLOOR_BELOW_PEAK_DB;
  const gainDb = Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, peak - percentile(played, 95)));
  const rec = Float64Array.from(played, (level) => Math.max(floor, level + gainDb));
  const r = Float64Array.from(ref, (level) => Math.max(floor, level));
  const n = r.length;
  const m = rec.length;
  // Typed arrays read within their bounds; `?? floor` only satisfies the type checker.
  const recAt = (/** @type {number} */ i) => rec[i] ?? floor;
  const refAt = (/** @type {number} */ j) => r[j] ?? floor;
  const isSpeech = (/** @type {number} */ j) => refAt(j) >= peak - SPEECH_BELOW_PEAK_DB;
  const isSilent = (/** @type {number} */ i) => recAt(i) < peak - SILENCE_BELOW_PEAK_DB;
  const width = m + 1;
  // cost[j * width + i]: aligning the first j reference windows within the first i played ones.
  // Played windows before the line and after it are free (semi-global alignment).
  const cost = new Float64Array((n + 1) * width);
  const move = new Uint8Array((n + 1) * width);
  const costAt = (/** @type {number} */ k) => cost[k] ?? Number.POSITIVE_INFINITY;
  for (let j = 1; j <= n; j += 1) {
    const row = j * width;
    const deleteCost = isSpeech(j - 1) ? DELETE_SPEECH : DELETE_SILENCE;
    cost[row] = costAt(row - width) + deleteCost;
    move[row] = MOVE_DELETE;
    for (let i = 1; i <= m; i += 1) {
      const match = costAt(row - width + i - 1) + Math.min(MATCH_CAP, Math.abs(recAt(i - 1) - refAt(j - 1)) / 10);
      const insert = costAt(row + i - 1) + (isSilent(i - 1) ? INSERT_SILENCE : INSERT_SOUND);
      const remove = costAt(row - width + i) + deleteCost;
      if (match <= insert && match <= remove) {
        cost[row + i] = match;
        move[row + i] = MOVE_MATCH;
      } else if (insert <= remove) {
        cost[row + i] = insert;
        move[row + i] = MOVE_INSERT;
      } else {
        cost[row + i] = remove;
        move[row + i] = MOVE_DELETE;
      }
    }
  }
  let end = 0;
  for (let i = 1; i <= m; i += 1) if (costAt(n * width + i) < costAt(n * width + end)) end = i;

  // Walk back: which played window carries each reference window (-1: none), and which
  // played windows were inserted between the line's first and last matched windows.
  const carriedBy = new Int32Array(n).fill(-1);
  const inserted = new Uint8Array(m);
  for (let j = n, i = end; j > 0; ) {
    const step = move[j * width + i];
    if (step === MOVE_MATCH) carriedBy[--j] = --i;
    else if (step === MOVE_DELETE) j -= 1;
    else inserted[--i] = 1;
  }
  let droppedWindows = 0;
  let speechWindows = 0;
  carriedBy.forEach((i, j) => {
    if (!isSpeech(j)) return;
    speechWindows += 1;
    if (i < 0 || recAt(i) < refAt(j) - DROPOUT_DB) droppedWindows += 1;
  });
  const firstRef = carriedBy.findIndex((i) => i >= 0);
  const lastRef = lastIndexWhere(carriedBy, (i) => i >= 0);
  if (firstRef < 0 || droppedWindows === speechWindows) {
    return { speechWindows, droppedWindows, longestGapMs: 0, stretch: null, firstWindow: null, gainDb };
  }
  const first = carriedBy[firstRef] ?? 0;
  const last = carriedBy[lastRef] ?? 0;
  let longest = 0;
  for (let i = first, run = 0; i <= last; i += 1) {
    run = inserted[i] && isSilent(i) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return {
    speechWindows,
    droppedWindows,
    longestGapMs: longest * WINDOW_MS,
    stretch: (last - first + 1) / (lastRef - firstRef + 1) - 1,
    firstWindow: first,
    gainDb,
  };
}
