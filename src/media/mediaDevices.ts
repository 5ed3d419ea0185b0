import type { BrowserEnv } from '../browser/BrowserEnv.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { microphoneError } from './microphoneError.ts';

/**
 * Asks for the microphone with the processing a voice call needs: echo cancellation, noise
 * suppression, automatic gain control, one channel. Without `deviceId` the browser's default
 * microphone is used. Rejects with an `AthosRoleplayError` (see `microphoneError`).
 */
export async function requestMicrophone(env: BrowserEnv, deviceId?: string): Promise<MediaStream> {
  const mediaDevices = mediaDevicesOf(env);
  const audio: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    channelCount: 1,
  };
  if (deviceId !== undefined) audio.deviceId = { exact: deviceId };
  try {
    return await mediaDevices.getUserMedia({ audio });
  } catch (error) {
    throw microphoneError(error);
  }
}

/** The audio inputs the browser lists. Rejects with an `AthosRoleplayError`. */
export function audioInputs(env: BrowserEnv): Promise<MediaDeviceInfo[]> {
  return devicesOfKind(env, 'audioinput');
}

/** The audio outputs the browser lists. Rejects with an `AthosRoleplayError`. */
export function audioOutputs(env: BrowserEnv): Promise<MediaDeviceInfo[]> {
  return devicesOfKind(env, 'audiooutput');
}

/**
 * The devices of `kind` with their names. Browsers hide device names until the page may use
 * the microphone, so when a name is missing this asks for the microphone once (which may
 * prompt) and releases it at once. Rejects with an `AthosRoleplayError` of phase `media`.
 */
export async function namedDevices(env: BrowserEnv, kind: MediaDeviceKind): Promise<Array<{ deviceId: string; label: string }>> {
  let devices = await devicesOfKind(env, kind);
  if (devices.some((device) => device.label === '')) {
    stopTracks(await requestMicrophone(env));
    devices = await devicesOfKind(env, kind);
  }
  return devices.map(({ deviceId, label }) => ({ deviceId, label }));
}

async function devicesOfKind(env: BrowserEnv, kind: MediaDeviceKind): Promise<MediaDeviceInfo[]> {
  const mediaDevices = mediaDevicesOf(env);
  try {
    const devices = await mediaDevices.enumerateDevices();
    return devices.filter((device) => device.kind === kind);
  } catch (error) {
    throw microphoneError(error);
  }
}

/** Stops every track of `stream`, which releases the device. */
export function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** `navigator.mediaDevices`, or `NO_MIC_AVAILABLE` where the page may not use it. */
export function mediaDevicesOf(env: BrowserEnv): MediaDevices {
  const mediaDevices = env.navigator?.mediaDevices as MediaDevices | undefined;
  if (!mediaDevices?.getUserMedia) {
    throw new AthosRoleplayError(
      'NO_MIC_AVAILABLE',
      'This page cannot use a microphone: navigator.mediaDevices is missing. Serve the page over HTTPS (or from localhost).',
      { phase: 'media' },
    );
  }
  return mediaDevices;
}
