import type { PartContext } from '../session/SessionParts.ts';

/** An audio input device. */
export interface MicrophoneInfo {
  deviceId: string;
  label: string;
}

/** Lists audio inputs. (Implemented in the media issue.) */
export async function listMicrophones(_context: PartContext): Promise<MicrophoneInfo[]> {
  throw new Error('not implemented yet');
}
