import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { withDeadline } from '../utils/abortable.ts';

/**
 * How long an AudioContext the browser may start may take to run. Beyond it the audio path
 * counts as dead: Firefox without an audio output device keeps every context suspended and
 * never settles `resume()`.
 */
export const AUDIO_START_TIMEOUT_MS = 5_000;

/**
 * Resolves `true` once `audioContext` runs, or `false` if it did not within `timeoutMs` (or
 * was closed). Does not resume it: the caller does, since only it knows whether it may.
 */
export async function waitUntilRunning(audioContext: BaseAudioContext, timeoutMs: number): Promise<boolean> {
  if (audioContext.state === 'running') return true;
  const listeners = new AbortController();
  const started = new Promise<boolean>((resolve) => {
    const onStateChange = () => {
      if (audioContext.state === 'running' || audioContext.state === 'closed') resolve(audioContext.state === 'running');
    };
    audioContext.addEventListener('statechange', onStateChange, { signal: listeners.signal });
  });
  try {
    return await withDeadline(started, { ms: timeoutMs, onTimeout: () => false });
  } finally {
    listeners.abort();
  }
}

/**
 * The error that ends `connect()` when the AudioContext of `what` never ran: `INTERNAL_ERROR`,
 * phase `media`, not retryable until the rep fixes their audio device.
 */
export function audioNeverStarted(what: 'the microphone' | "the persona's voice", state: AudioContextState): AthosRoleplayError {
  return new AthosRoleplayError(
    'INTERNAL_ERROR',
    `The browser did not start the audio of ${what} within ${AUDIO_START_TIMEOUT_MS / 1000} s (its AudioContext stayed ${state}). ` +
      'This happens on a computer without a working audio output device: connect speakers or a headset, then start a new call.',
    { phase: 'media', retryable: false },
  );
}
