/**
 * Summaries of repeated measurements: nearest-rank percentiles, no interpolation, so every
 * reported figure is one that was actually measured.
 */

/**
 * @typedef {{ runs: number, median: number | null, p95: number | null, p99: number | null, max: number | null }} Summary
 */

/**
 * The `p`-th percentile (0–100) of ascending `sorted` samples by the nearest-rank method.
 * @param {Float64Array} sorted
 * @param {number} p
 * @returns {number | null} null when there are no samples
 */
function rank(sorted, p) {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? null;
}

/**
 * `{ runs, median, p95, p99, max }` of `samples`; null fields when there are none.
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  if (samples.length === 0) return { runs: 0, median: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  return {
    runs: samples.length,
    median: rank(sorted, 50),
    p95: rank(sorted, 95),
    p99: rank(sorted, 99),
    max: rank(sorted, 100),
  };
}
