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
export async function audioInputs(env: BrowserEnv): Promise<MediaDeviceInfo[]> {
  const mediaDevices = mediaDevicesOf(env);
  try {
    const devices = await mediaDevices.enumerateDevices();
    return devices.filter((device) => device.kind === 'audioinput');
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
