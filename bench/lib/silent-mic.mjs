/**
 * Chromium flags for a fake microphone that captures silence: a rep who says nothing, so that
 * nothing the rep says holds back the persona's greeting.
 */
import { fakeMicArgs } from './wav.mjs';

export function silentMicArgs() {
  return fakeMicArgs('silence', new Int16Array(16_000));
}
