import type { PartContext } from '../session/SessionParts.ts';
import type { MicrophoneInput, MicrophoneInputEvents } from './MicrophoneInput.ts';

/** Placeholder; implemented in the media issue. */
export class WebAudioMicrophoneInput implements MicrophoneInput {
  constructor(_events: MicrophoneInputEvents, _context: PartContext) {}
  async start(_signal: AbortSignal): Promise<void> {
    throw new Error('not implemented yet');
  }
  async setDevice(_deviceId: string): Promise<void> {}
  setMuted(_muted: boolean): void {}
  stop(): void {}
}
