/**
 * Summaries of repeated measurements: nearest-rank percentiles, no interpolation, so every
 * reported figure is one that was actually measured.
 */

/** The `p`-th percentile (0–100) of ascending `sorted` samples by the nearest-rank method. */
function rank(sorted, p) {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/** `{ runs, median, p95, p99, max }` of `samples`; null fields when there are none. */
export function summarize(samples) {
  if (samples.length === 0) return { runs: 0, median: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  return {
    runs: samples.length,
    median: rank(sorted, 50),
    p95: rank(sorted, 95),
    p99: rank(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}
