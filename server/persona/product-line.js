/**
 * Product lines of the drill keys (contract section 4); the keys themselves are in
 * src/contract/drills.js, shared with the SDK.
 * @module
 */

/** @typedef {'ma' | 'ms' | 'fe' | 'u65' | 'hi' | 'ci'} ProductLine */

/**
 * The product line of a known drill key, e.g. `ma` for `ma-t65`.
 * @param {string} drillKey
 * @returns {ProductLine}
 */
export function productLine(drillKey) {
  return /** @type {ProductLine} */ (drillKey.split('-')[0]);
}
