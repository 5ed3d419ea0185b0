import type { Redemption } from '../redeem/Redemption.ts';
import type { PartContext } from '../session/SessionParts.ts';
import type { CallEndSummary, VoiceTransport, VoiceTransportEvents } from './VoiceTransport.ts';

/** Placeholder; implemented in the transport issue. */
export class WebSocketVoiceTransport implements VoiceTransport {
  constructor(_redemption: Redemption, _events: VoiceTransportEvents, _context: PartContext) {}
  async connect(_signal: AbortSignal): Promise<void> {
    throw new Error('not implemented yet');
  }
  sendAudio(_frame: ArrayBuffer): void {}
  retryNow(): void {}
  async leave(): Promise<CallEndSummary | undefined> {
    return undefined;
  }
  close(): void {}
}
