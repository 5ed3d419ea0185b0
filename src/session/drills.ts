/**
 * The drill keys Athos knows today, as `<product line>-<practice>`. `drillKey` is a plain
 * string, so drills added later work without an SDK upgrade; this list is for pickers and
 * autocompletion.
 */
export const ATHOS_DRILL_KEYS = Object.freeze([
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
] as const);

/** A known drill key, or any other string for drills newer than this SDK. */
export type AthosDrillKey = (typeof ATHOS_DRILL_KEYS)[number] | (string & {});
