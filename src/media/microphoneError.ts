import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/**
 * Maps a failure of `getUserMedia` or `enumerateDevices` to the contract's error codes (phase
 * `media`):
 *
 * - `NotAllowedError`, `SecurityError` → `MIC_PERMISSION_DENIED`
 * - `NotFoundError`, `OverconstrainedError` → `NO_MIC_AVAILABLE`
 * - `NotReadableError`, `AbortError` → `MIC_DEVICE_DISCONNECTED`
 * - anything else → `INTERNAL_ERROR`, with the error's name in the message.
 */
export function microphoneError(error: unknown): AthosRoleplayError {
  const name = errorName(error);
  const details = { phase: 'media', cause: error } as const;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new AthosRoleplayError(
        'MIC_PERMISSION_DENIED',
        `Microphone access was denied (${name}). Allow the microphone for this site; inside an iframe, the frame also needs allow="microphone".`,
        details,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new AthosRoleplayError('NO_MIC_AVAILABLE', `No usable microphone was found (${name}).`, details);
    case 'NotReadableError':
    case 'AbortError':
      return new AthosRoleplayError(
        'MIC_DEVICE_DISCONNECTED',
        `The microphone could not be started: another application may be using it, or it was unplugged (${name}).`,
        details,
      );
    default:
      return new AthosRoleplayError('INTERNAL_ERROR', `The microphone failed unexpectedly (${name}).`, details);
  }
}

function errorName(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : String(error);
}
