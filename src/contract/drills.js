/**
 * The drills and difficulties of the Athos contract (section 4), shared by the SDK and the local
 * server: the one list both sides of the wire know.
 * @module
 */

/**
 * The drill keys Athos knows today, as `<product line>-<practice>`.
 * @type {readonly ['ma-full-sale', 'ma-t65', 'ma-objection-handling', 'ma-needs-analysis', 'ma-sep-hunting', 'ms-full-sale', 'fe-full-sale', 'fe-objection-handling', 'fe-closing', 'u65-full-sale', 'hi-upsell', 'ci-upsell']}
 */
export const DRILL_KEYS = /* @__PURE__ */ Object.freeze([
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

/**
 * Persona difficulties: a cooperative, the standard and a tough prospect.
 * @type {readonly ['Beginner', 'Advanced', 'Elite']}
 */
export const DIFFICULTIES = /* @__PURE__ */ Object.freeze(['Beginner', 'Advanced', 'Elite']);

/** The difficulty Athos uses when a redemption names none. */
export const DEFAULT_DIFFICULTY = 'Advanced';
