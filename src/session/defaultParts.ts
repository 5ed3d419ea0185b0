import { browserEnv } from '../browser/BrowserEnv.ts';
import { listMicrophones } from '../media/listMicrophones.ts';
import { checkSpeaker, listSpeakers } from '../media/speakers.ts';
import { WebAudioMicrophoneInput } from '../media/WebAudioMicrophoneInput.ts';
import { WebAudioPersonaOutput } from '../media/WebAudioPersonaOutput.ts';
import { redeemToken } from '../redeem/redeemToken.ts';
import { WorkerVoiceTransport } from '../worker/WorkerVoiceTransport.ts';
import type { SessionParts } from './SessionParts.ts';

/** The real browser parts. */
export function defaultParts(): SessionParts {
  return {
    env: browserEnv,
    redeem: redeemToken,
    createMicrophone: (events, context) => new WebAudioMicrophoneInput(events, context),
    createOutput: (events, context) => new WebAudioPersonaOutput(events, context),
    createTransport: (events, context) => new WorkerVoiceTransport(events, context),
    listMicrophones,
    listSpeakers,
    checkSpeaker,
  };
}
