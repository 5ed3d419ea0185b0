import type { PartContext } from '../browser/PartContext.ts';
import { namedDevices } from './mediaDevices.ts';

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
export function listMicrophones(context: PartContext): Promise<MicrophoneInfo[]> {
  return namedDevices(context.env, 'audioinput');
}
