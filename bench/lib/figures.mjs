/**
 * The shape of every reported figure. A target is an upper bound on one statistic of the
 * figure (`median`, `p95` or `value`); `met` is true, false, or null when there is no target
 * or nothing was measured.
 */
import { summarize } from './stats.mjs';

/**
 * @typedef {{ max: number, of: 'median' | 'p95' | 'value' }} Target
 * @typedef {{ name: string, unit: string, runs: number, median?: number | null, p95?: number | null,
 *   p99?: number | null, max?: number | null, value?: number | null, target?: Target, met: boolean | null,
 *   note?: string }} Figure
 */

/**
 * @param {Omit<Figure, 'met'>} figure
 * @param {Target | undefined} target
 * @param {string | undefined} note
 * @returns {Figure}
 */
function withTarget(figure, target, note) {
  const measured = target ? figure[target.of] : null;
  const met = target && measured !== null && measured !== undefined ? measured <= target.max : null;
  return { ...figure, ...(target ? { target } : {}), met, ...(note ? { note } : {}) };
}

/**
 * A figure over repeated samples (times, mostly).
 * @param {string} name
 * @param {string} unit
 * @param {number[]} samples
 * @param {{ target?: Target, note?: string }} [options]
 * @returns {Figure}
 */
export function repeated(name, unit, samples, { target, note } = {}) {
  return withTarget({ name, unit, ...summarize(samples) }, target, note);
}

/**
 * A figure that is one number (a size, a count, a total over `runs` runs).
 * @param {string} name
 * @param {string} unit
 * @param {number | null} value
 * @param {{ runs?: number, target?: Target, note?: string }} [options]
 * @returns {Figure}
 */
export function single(name, unit, value, { runs = 1, target, note } = {}) {
  return withTarget({ name, unit, runs, value }, target, note);
}
