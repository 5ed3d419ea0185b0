import type { BrowserEnv } from '../browser/BrowserEnv.ts';
import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { audioOutputs, namedDevices } from './mediaDevices.ts';

/** An audio output device. */
export interface SpeakerInfo {
  /** Pass it to `setSpeaker()`; `''` is the browser's default output. */
  deviceId: string;
  /** The device's name as the browser reports it. */
  label: string;
}

/**
 * Whether the browser can play on a chosen output device (`HTMLMediaElement.setSinkId`):
 * Chromium-family browsers and Firefox 116 and later.
 */
export function canChooseSpeaker(env: BrowserEnv): boolean {
  const prototype = (env.window as { HTMLMediaElement?: { prototype: object } } | undefined)?.HTMLMediaElement?.prototype;
  return prototype !== undefined && 'setSinkId' in prototype;
}

/**
 * Lists the audio outputs, asking for the microphone once when the browser hides their names
 * (as `listMicrophones` does). Rejects with an `AthosRoleplayError` of phase `media`.
 */
export function listSpeakers(context: PartContext): Promise<SpeakerInfo[]> {
  return namedDevices(context.env, 'audiooutput');
}

/**
 * Checks that the persona can be played on `deviceId` (`''`: the default output): rejects with
 * `BROWSER_NOT_SUPPORTED` where the browser cannot choose outputs, and with `INVALID_REQUEST`
 * for a device the browser does not list.
 */
export async function checkSpeaker(env: BrowserEnv, deviceId: string): Promise<void> {
  if (!canChooseSpeaker(env)) throw speakerNotSupported();
  if (typeof deviceId !== 'string') {
    throw new AthosRoleplayError('INVALID_REQUEST', 'setSpeaker() needs a deviceId string from listSpeakers().', {
      phase: 'media',
      retryable: false,
    });
  }
  if (deviceId === '') return;
  const outputs = await audioOutputs(env);
  if (!outputs.some((output) => output.deviceId === deviceId)) throw unknownSpeaker(deviceId);
}

/** The error of a `setSinkId()` that failed for `deviceId`. */
export function speakerError(error: unknown, deviceId: string): AthosRoleplayError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotFoundError') return unknownSpeaker(deviceId);
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new AthosRoleplayError(
      'INVALID_REQUEST',
      `The browser does not let this page play on speaker "${deviceId}" (${name}); allow the microphone first, or pick another.`,
      { phase: 'media', retryable: false, cause: error },
    );
  }
  return new AthosRoleplayError('INTERNAL_ERROR', `Switching to speaker "${deviceId}" failed (${String(name ?? error)}).`, {
    phase: 'media',
    cause: error,
  });
}

function unknownSpeaker(deviceId: string): AthosRoleplayError {
  return new AthosRoleplayError(
    'INVALID_REQUEST',
    `There is no speaker with deviceId "${deviceId}"; pick one from listSpeakers().`,
    {
      phase: 'media',
      retryable: false,
    },
  );
}

function speakerNotSupported(): AthosRoleplayError {
  return new AthosRoleplayError(
    'BROWSER_NOT_SUPPORTED',
    'This browser cannot choose the speaker (no HTMLMediaElement.setSinkId); the persona plays on the default output.',
    { phase: 'media', retryable: false },
  );
}
