/**
 * The persona of the network benchmark: it says the reference lines it is told to, when it is
 * told to, and never answers or yields to the rep, so every call plays the same audio and
 * nothing the impaired link does changes what is said.
 */

/**
 * @param {import('../../../server/persona/audio.js').LineAudio} lineAudio
 * @param {(persona: LinesPersona) => void} onCall receives the persona of each new call
 * @returns {import('../../../server/persona/engine.js').PersonaFactory}
 */
export function linesPersonaFactory(lineAudio, onCall) {
  return () => {
    const persona = new LinesPersona(lineAudio);
    onCall(persona);
    return persona;
  };
}

/** @typedef {import('../../../server/persona/engine.js').PersonaEngine} PersonaEngine */

/** @implements {PersonaEngine} */
export class LinesPersona {
  /** @param {import('../../../server/persona/audio.js').LineAudio} lineAudio */
  constructor(lineAudio) {
    this.lineAudio = lineAudio;
    /** @type {import('../../../server/persona/engine.js').PersonaContext | null} */
    this.ctx = null;
    /** Frames queued so far: the downlink numbers them 1, 2, … and nothing else speaks. */
    this.framesSaid = 0;
  }

  /** @param {import('../../../server/persona/engine.js').PersonaContext} ctx */
  start(ctx) {
    this.ctx = ctx;
  }

  /**
   * Queues a line; returns the `seq` range its frames get.
   * @param {string} file
   */
  say(file) {
    const frames = this.lineAudio.get(file);
    if (!this.ctx || !frames) throw new Error(`cannot say ${file}: ${this.ctx ? 'unknown line' : 'the call is not live'}`);
    const firstSeq = this.framesSaid + 1;
    this.framesSaid += frames.pcm16.length;
    void this.ctx.speak(frames, file);
    return { firstSeq, lastSeq: this.framesSaid };
  }

  onUserAudio() {}

  pause() {}

  resume() {}

  stop() {}
}
