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
    createMicrophone: (events, context, audio) => new WebAudioMicrophoneInput(events, context, audio),
    createOutput: (events, context, audio) => new WebAudioPersonaOutput(events, context, audio),
    createTransport: (events, context) => new WorkerVoiceTransport(events, context),
    listMicrophones,
    listSpeakers,
    checkSpeaker,
  };
}
