/**
 * The scripted persona: greets the rep, then answers with its next line each time the rep
 * stops speaking, and stops talking when the rep talks over it.
 * @module
 */
import { scriptFor } from './lines.js';
import { VoiceActivityDetector } from './vad.js';

const GREETING_DELAY_MS = 300;
const REPLY_DELAY_MS = 400;
/** How long the rep must talk over the persona to cut it off. */
const BARGE_IN_MS = 300;
/** Without uplink audio (a muted rep) for this long, speech has ended. */
const SILENT_UPLINK_MS = 700;

/** @typedef {{ text: string, audio: import('./audio.js').CodedAudio }} SpokenLine */
/** @typedef {import('./engine.js').PersonaEngine} PersonaEngine */

/**
 * @param {import('./audio.js').LineAudio} lineAudio
 * @returns {import('./engine.js').PersonaFactory}
 */
export function scriptedPersonaFactory(lineAudio) {
  /** @param {import('./lines.js').Line} line */
  const spoken = (line) => ({
    text: line.text,
    audio: /** @type {import('./audio.js').CodedAudio} */ (lineAudio.get(line.file)),
  });
  return (call) => {
    const { greeting, replies } = scriptFor(call.profile, call.difficulty);
    return new ScriptedPersona(spoken(greeting), replies.map(spoken));
  };
}

/** @implements {PersonaEngine} */
class ScriptedPersona {
  /**
   * @param {SpokenLine} greeting
   * @param {SpokenLine[]} replies said in order, then again from the start: the persona never runs out
   */
  constructor(greeting, replies) {
    this.greeting = greeting;
    this.replies = replies;
    this.linesSaid = 0;
    /** @type {import('./engine.js').PersonaContext | null} */
    this.ctx = null;
    /** @type {SpokenLine | null} what is playing now */
    this.speaking = null;
    /** Rep speech over the current line so far. */
    this.overlapMs = 0;
    /** @type {{ delayMs: number } | null} the next line is due this long after (re)arming */
    this.due = null;
    /** @type {NodeJS.Timeout | undefined} */
    this.dueTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.uplinkTimer = undefined;
    this.paused = false;
    this.stopped = false;
    this.vad = new VoiceActivityDetector({
      onSpeechStart: () => this.onSpeechStart(),
      onSpeechProgress: (ms) => this.onSpeechProgress(ms),
      onSpeechEnd: (durationMs, trailingQuietMs) => this.onSpeechEnd(durationMs, trailingQuietMs),
    });
  }

  /** @param {import('./engine.js').PersonaContext} ctx */
  start(ctx) {
    this.ctx = ctx;
    this.sayNextIn(GREETING_DELAY_MS);
  }

  /** @param {Int16Array} pcm */
  onUserAudio(pcm) {
    this.vad.push(pcm);
    clearTimeout(this.uplinkTimer);
    if (this.vad.speaking) this.uplinkTimer = setTimeout(() => this.vad.end(), SILENT_UPLINK_MS);
  }

  pause() {
    this.paused = true;
    clearTimeout(this.uplinkTimer);
    clearTimeout(this.dueTimer);
    this.vad.end();
  }

  resume() {
    this.paused = false;
    this.armDue();
  }

  stop() {
    this.stopped = true;
    this.due = null;
    clearTimeout(this.dueTimer);
    clearTimeout(this.uplinkTimer);
  }

  /** @param {number} delayMs */
  sayNextIn(delayMs) {
    if (this.stopped) return;
    this.due = { delayMs };
    this.armDue();
  }

  /** (Re)starts the wait for the due line; a pause restarts it from zero on resume. */
  armDue() {
    clearTimeout(this.dueTimer);
    if (!this.due || this.paused) return;
    this.dueTimer = setTimeout(() => {
      this.due = null;
      void this.say(this.nextLine());
    }, this.due.delayMs);
  }

  nextLine() {
    const index = this.linesSaid++;
    if (index === 0) return this.greeting;
    return /** @type {SpokenLine} */ (this.replies[(index - 1) % this.replies.length]);
  }

  /** @param {SpokenLine} line */
  async say(line) {
    const ctx = /** @type {import('./engine.js').PersonaContext} */ (this.ctx);
    this.speaking = line;
    this.overlapMs = 0;
    await ctx.speak(line.audio, line.text);
    if (this.speaking === line) this.speaking = null;
  }

  onSpeechStart() {
    // The rep took the floor: whatever was about to be said waits until they stop.
    this.due = null;
    clearTimeout(this.dueTimer);
    this.overlapMs = 0;
  }

  /** @param {number} ms */
  onSpeechProgress(ms) {
    if (!this.speaking) return;
    this.overlapMs += ms;
    if (this.overlapMs >= BARGE_IN_MS) {
      this.speaking = null;
      this.ctx?.clear();
    }
  }

  /**
   * @param {number} durationMs
   * @param {number} trailingQuietMs
   */
  onSpeechEnd(durationMs, trailingQuietMs) {
    const ctx = /** @type {import('./engine.js').PersonaContext} */ (this.ctx);
    const endedAtMs = Math.max(0, ctx.now() - trailingQuietMs);
    const startedAtMs = Math.max(0, endedAtMs - durationMs);
    ctx.userTurn({ content: `(rep spoke ${(durationMs / 1000).toFixed(1)} s)`, startedAtMs, endedAtMs });
    if (!this.speaking) this.sayNextIn(REPLY_DELAY_MS);
  }
}
