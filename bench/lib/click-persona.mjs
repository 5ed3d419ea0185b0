/**
 * The persona of the audio-path benchmark: it says nothing but a short tone burst (10 ms,
 * half scale, loud from its first sample) every GAP_MS, each one an utterance of its own. So
 * the onset is the first sample of the first frame of an utterance, on both sides of the SDK.
 */
import { FRAME_BYTES, SAMPLE_RATE } from '../../server/gateway/protocol.js';
import { encodeFrames } from '../../server/opus.js';

const GAP_MS = 600;
const BURST_SAMPLES = SAMPLE_RATE / 100;
const TONE_HZ = 1000;
const SILENT_FRAMES_AFTER = 4;

/** @returns {import('../../server/persona/audio.js').CodedAudio} */
function burst() {
  const first = Buffer.alloc(FRAME_BYTES);
  for (let i = 0; i < BURST_SAMPLES; i += 1) {
    first.writeInt16LE(Math.round(16384 * Math.cos((2 * Math.PI * TONE_HZ * i) / SAMPLE_RATE)), i * 2);
  }
  const pcm16 = [first, ...Array.from({ length: SILENT_FRAMES_AFTER }, () => Buffer.alloc(FRAME_BYTES))];
  return { pcm16, opus: encodeFrames(pcm16) };
}

/** @returns {import('../../server/persona/engine.js').PersonaFactory} */
export function clickPersonaFactory() {
  const audio = burst();
  return () => {
    /** @type {import('../../server/persona/engine.js').PersonaContext | undefined} */
    let context;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    let speaking = false;
    let paused = false;
    let stopped = false;
    const next = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        speaking = true;
        await context?.speak(audio, '(tone burst)');
        speaking = false;
        if (!paused && !stopped) next();
      }, GAP_MS);
    };
    return {
      start(ctx) {
        context = ctx;
        next();
      },
      onUserAudio() {},
      pause() {
        paused = true;
        clearTimeout(timer);
      },
      resume() {
        paused = false;
        if (!speaking) next();
      },
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  };
}
