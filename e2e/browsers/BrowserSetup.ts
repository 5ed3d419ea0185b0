/**
 * The machine a test's browser runs on, said the same way for both engines; each engine's
 * launcher turns it into flags, preferences or a sound server (`chromium.ts`, `firefox.ts`).
 */
export interface BrowserSetup {
  /**
   * `speaking`: a microphone, allowed, that loops a rep's sentence and pauses (the default);
   * `talking`: one that loops the sentence without its pauses, so the rep talks whenever
   * unmuted and a test scripts the rep's speech with `mute()` (Chromium only);
   * `refused`: one the browser refuses to the page; `absent`: no audio input at all.
   */
  microphone?: 'speaking' | 'talking' | 'refused' | 'absent';
  /** Whether the page may start audio without a user gesture (default `allowed`). */
  autoplay?: 'allowed' | 'blocked';
  /**
   * `absent`: no audio output device, so no AudioContext ever starts running. Firefox then
   * hears its own fake microphone (a 1 kHz tone), which needs no device.
   */
  speakers?: 'present' | 'absent';
}

/** The setup of a test that sets none. */
export const DEFAULT_SETUP: Required<BrowserSetup> = { microphone: 'speaking', autoplay: 'allowed', speakers: 'present' };

/** `setup` with the defaults filled in. */
export function completeSetup(setup: BrowserSetup): Required<BrowserSetup> {
  return { ...DEFAULT_SETUP, ...setup };
}

/** Whether `setup` is the default one (tests share the worker's browser then). */
export function isDefaultSetup(setup: Required<BrowserSetup>): boolean {
  return (Object.keys(DEFAULT_SETUP) as (keyof BrowserSetup)[]).every((key) => setup[key] === DEFAULT_SETUP[key]);
}
