import type { BrowserEnv } from '../browser/BrowserEnv.ts';
import type { PartContext } from '../browser/PartContext.ts';
import type { CallAudio } from '../media/CallAudio.ts';
import type { MicrophoneInfo } from '../media/listMicrophones.ts';
import type { MicrophoneInput, MicrophoneInputEvents } from '../media/MicrophoneInput.ts';
import type { PersonaOutput, PersonaOutputEvents } from '../media/PersonaOutput.ts';
import type { SpeakerInfo } from '../media/speakers.ts';
import type { Redemption, RedemptionRequest } from '../redeem/Redemption.ts';
import type { RedeemContext } from '../redeem/redeemToken.ts';
import type { VoiceTransport, VoiceTransportEvents } from '../transport/VoiceTransport.ts';

/**
 * The controllers a session is assembled from. The real ones are wired in `defaultParts()`;
 * unit tests hand in fakes.
 */
export interface SessionParts {
  env: () => BrowserEnv;
  redeem(request: RedemptionRequest, context: RedeemContext): Promise<Redemption>;
  /** The microphone, capturing in `audio`, the call's AudioContext it shares with the output. */
  createMicrophone(events: MicrophoneInputEvents, context: PartContext, audio: CallAudio): MicrophoneInput;
  /** The persona's output, playing from `audio`, the call's AudioContext it shares with the microphone. */
  createOutput(events: PersonaOutputEvents, context: PartContext, audio: CallAudio): PersonaOutput;
  createTransport(events: VoiceTransportEvents, context: PartContext): VoiceTransport;
  listMicrophones(context: PartContext): Promise<MicrophoneInfo[]>;
  listSpeakers(context: PartContext): Promise<SpeakerInfo[]>;
  /** Rejects unless the persona can play on `deviceId` (see `checkSpeaker`). */
  checkSpeaker(env: BrowserEnv, deviceId: string): Promise<void>;
}
