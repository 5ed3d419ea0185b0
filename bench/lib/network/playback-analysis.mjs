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

/** Levels in dB (mean square re full scale) of 10 ms windows of 16 kHz PCM16. */
export function pcmLevels(pcm, sampleRate = 16000) {
  const size = (sampleRate * WINDOW_MS) / 1000;
  const levels = [];
  for (let start = 0; start + size <= pcm.length; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i += 1) sum += (pcm[i] / 32768) ** 2;
    levels.push(toDb(sum / size));
  }
  return levels;
}

/** dB of a mean square, floored at -120. */
export function toDb(meanSquare) {
  return 10 * Math.log10(Math.max(meanSquare, 1e-12));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? -120;
}

/** The reference from its first to its last speech window, and its loud level. */
export function trimReference(levels) {
  const peak = percentile(levels, 95);
  const speech = (level) => level >= peak - SPEECH_BELOW_PEAK_DB;
  const first = levels.findIndex(speech);
  const last = levels.findLastIndex(speech);
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
  const rec = played.map((level) => Math.max(floor, level + gainDb));
  const r = ref.map((level) => Math.max(floor, level));
  const isSpeech = r.map((level) => level >= peak - SPEECH_BELOW_PEAK_DB);
  const isSilent = rec.map((level) => level < peak - SILENCE_BELOW_PEAK_DB);
  const n = r.length;
  const m = rec.length;
  const width = m + 1;
  // cost[j * width + i]: aligning the first j reference windows within the first i played ones.
  // Played windows before the line and after it are free (semi-global alignment).
  const cost = new Float64Array((n + 1) * width);
  const move = new Uint8Array((n + 1) * width);
  const insertCost = (i) => (isSilent[i] ? INSERT_SILENCE : INSERT_SOUND);
  const deleteCost = (j) => (isSpeech[j] ? DELETE_SPEECH : DELETE_SILENCE);
  for (let j = 1; j <= n; j += 1) {
    const row = j * width;
    cost[row] = cost[row - width] + deleteCost(j - 1);
    move[row] = MOVE_DELETE;
    for (let i = 1; i <= m; i += 1) {
      const match = cost[row - width + i - 1] + Math.min(MATCH_CAP, Math.abs(rec[i - 1] - r[j - 1]) / 10);
      const insert = cost[row + i - 1] + insertCost(i - 1);
      const remove = cost[row - width + i] + deleteCost(j - 1);
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
  for (let i = 1; i <= m; i += 1) if (cost[n * width + i] < cost[n * width + end]) end = i;

  // Walk back: which played window carries each reference window (-1: none), and which
  // played windows were inserted between the line's first and last matched windows.
  const carriedBy = new Array(n).fill(-1);
  const inserted = new Uint8Array(m);
  for (let j = n, i = end; j > 0; ) {
    const step = move[j * width + i];
    if (step === MOVE_MATCH) carriedBy[--j] = --i;
    else if (step === MOVE_DELETE) j -= 1;
    else inserted[--i] = 1;
  }
  const matched = carriedBy.filter((i) => i >= 0);
  let droppedWindows = 0;
  let speechWindows = 0;
  for (let j = 0; j < n; j += 1) {
    if (!isSpeech[j]) continue;
    speechWindows += 1;
    if (carriedBy[j] < 0 || rec[carriedBy[j]] < r[j] - DROPOUT_DB) droppedWindows += 1;
  }
  if (matched.length === 0 || droppedWindows === speechWindows) {
    return { speechWindows, droppedWindows, longestGapMs: 0, stretch: null, firstWindow: null, gainDb };
  }

  const first = matched[0];
  const last = matched[matched.length - 1];
  let longest = 0;
  for (let i = first, run = 0; i <= last; i += 1) {
    run = inserted[i] && isSilent[i] ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const firstRef = carriedBy.findIndex((i) => i >= 0);
  const lastRef = carriedBy.findLastIndex((i) => i >= 0);
  return {
    speechWindows,
    droppedWindows,
    longestGapMs: longest * WINDOW_MS,
    stretch: (last - first + 1) / (lastRef - firstRef + 1) - 1,
    firstWindow: first,
    gainDb,
  };
}
