import type { PartContext } from '../browser/PartContext.ts';
import { audioInputs, requestMicrophone, stopTracks } from './mediaDevices.ts';

/** An audio input device. */
export interface MicrophoneInfo {
  /** Pass it to `setMicrophone()`. */
  deviceId: string;
  /** The device's name as the browser reports it. */
  label: string;
}

/**
 * Lists the audio inputs. Browsers hide device names until the page may use the microphone, so
 * when a label is empty this asks for the microphone once (which may prompt) and releases it
 * at once. Rejects with an `AthosRoleplayError` of phase `media` (`MIC_PERMISSION_DENIED`,
 * `NO_MIC_AVAILABLE`, …).
 */
export async function listMicrophones(context: PartContext): Promise<MicrophoneInfo[]> {
  let inputs = await audioInputs(context.env);
  if (inputs.some((input) => input.label === '')) {
    stopTracks(await requestMicrophone(context.env));
    inputs = await audioInputs(context.env);
  }
  return inputs.map(({ deviceId, label }) => ({ deviceId, label }));
}
