import { DRILL_KEYS } from '../contract/drills.js';

/**
 * The drill keys Athos knows today, as `<product line>-<practice>`. `drillKey` is a plain
 * string, so drills added later work without an SDK upgrade; this list is for pickers and
 * autocompletion.
 */
export const ATHOS_DRILL_KEYS = DRILL_KEYS;

/** A known drill key, or any other string for drills newer than this SDK. */
export type AthosDrillKey = (typeof ATHOS_DRILL_KEYS)[number] | (string & {});
