/**
 * The rate limit of `POST /session`: a token bucket for the server's API key.
 * @module
 */
import { ApiError } from '../http/envelope.js';

/** The bucket holds this many seconds' worth of mints: the largest burst. */
const BURST_SEC = 10;

/**
 * @param {{ ratePerSec: number }} options average mints per second
 */
export function createMintLimit({ ratePerSec }) {
  const capacity = ratePerSec * BURST_SEC;
  let available = capacity;
  let filledAt = Date.now();

  return {
    /**
     * Takes one mint from the bucket, or throws `429 SERVICE_UNAVAILABLE` with `Retry-After`.
     */
    take() {
      const now = Date.now();
      available = Math.min(capacity, available + ((now - filledAt) / 1000) * ratePerSec);
      filledAt = now;
      if (available >= 1) {
        available -= 1;
        return;
      }
      const retryAfterSec = Math.max(1, Math.ceil((1 - available) / ratePerSec));
      throw new ApiError('SERVICE_UNAVAILABLE', `Too many session tokens minted; retry in ${retryAfterSec} s.`, {
        status: 429,
        headers: { 'Retry-After': String(retryAfterSec) },
      });
    },
  };
}
