/**
 * Codec negotiation (docs/protocol.md, section 4): which codec a call uses, chosen from the
 * client's offer in `auth` and checked again on every `resume`.
 * @module
 */

/** @typedef {import('../../src/contract/voice.js').Codec} Codec */

/** The codecs this gateway runs. The client's order of preference decides among them. */
const RUNS = /** @type {ReadonlySet<string>} */ (new Set(['pcm16']));

/** What a client that offers nothing (protocol version 1) runs. */
const NO_OFFER = Object.freeze(['pcm16']);

/**
 * Reads the `codecs` field of `auth` or `resume`.
 * @param {unknown} value as received
 * @returns {readonly string[] | null} the offer, most preferred first; `['pcm16']` when absent;
 *   null when it is not an array of strings
 */
export function readCodecOffer(value) {
  if (value === undefined) return NO_OFFER;
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) return null;
  return value;
}

/**
 * The call's codec: the first one offered that this gateway runs. Unknown names are skipped.
 * @param {readonly string[]} offer
 * @returns {Codec | null} null when the gateway runs none of them
 */
export function chooseCodec(offer) {
  return /** @type {Codec | undefined} */ (offer.find((name) => RUNS.has(name))) ?? null;
}
