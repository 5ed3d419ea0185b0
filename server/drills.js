/**
 * Drill keys and difficulties of contract section 4.
 * @module
 */

/** Every drill this server runs, `<product line>-<practice>`. */
export const DRILL_KEYS = Object.freeze([
  'ma-full-sale',
  'ma-t65',
  'ma-objection-handling',
  'ma-needs-analysis',
  'ma-sep-hunting',
  'ms-full-sale',
  'fe-full-sale',
  'fe-objection-handling',
  'fe-closing',
  'u65-full-sale',
  'hi-upsell',
  'ci-upsell',
]);

export const DIFFICULTIES = Object.freeze(['Beginner', 'Advanced', 'Elite']);
export const DEFAULT_DIFFICULTY = 'Advanced';

/** @typedef {'ma' | 'ms' | 'fe' | 'u65' | 'hi' | 'ci'} ProductLine */

/**
 * The product line of a known drill key, e.g. `ma` for `ma-t65`.
 * @param {string} drillKey
 * @returns {ProductLine}
 */
export function productLine(drillKey) {
  return /** @type {ProductLine} */ (drillKey.split('-')[0]);
}
