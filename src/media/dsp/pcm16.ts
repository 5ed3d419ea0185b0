/** One sample (-1 to 1) as a 16-bit PCM value, clipped. */
export function toPcm16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}
