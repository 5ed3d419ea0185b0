/**
 * The persona engine seam. The gateway owns the socket, pacing, resume and the transcript's
 * timing; an engine only hears the rep and decides what to say and when. The scripted persona
 * (scripted.js) is one engine; a speech-to-text / language-model / text-to-speech pipeline is
 * another that fits the same shape. This module only declares the types.
 * @module
 */

/**
 * What an engine learns about its call.
 * @typedef {object} PersonaCall
 * @property {string} callId
 * @property {string} drillKey
 * @property {'Beginner' | 'Advanced' | 'Elite'} difficulty
 * @property {import('./personas.js').Persona} persona what the redemption returned
 * @property {import('./personas.js').PersonaProfile} profile who the persona is, voice included
 */

/**
 * What the gateway offers an engine once the call is live.
 * @typedef {object} PersonaContext
 * @property {() => number} now milliseconds since the call started
 * @property {(audio: import('./audio.js').CodedAudio, text: string) => Promise<'done' | 'cleared' | 'stopped'>} speak
 *   Queues an utterance: its 20 ms frames of 16 kHz mono audio in every codec the gateway runs
 *   (`pcm16`: 640 bytes of PCM16; `opus`: one packet each, encoded ahead of time, never per
 *   call), of which the call's codec is sent, and its text for the transcript. Utterances play
 *   one after the other, paced in real time, and only while a socket is attached. Resolves
 *   when it has finished playing, was cut off by `clear`, or the call ended.
 * @property {() => void} clear Barge-in: stops what is playing now and drops what is queued.
 * @property {(turn: { content: string, startedAtMs: number, endedAtMs: number }) => void} userTurn
 *   Records what the rep said (times in `now()` milliseconds).
 */

/**
 * @typedef {object} PersonaEngine
 * @property {(ctx: PersonaContext) => void} start The call is live.
 * @property {(pcm: Int16Array) => void} onUserAudio Uplink audio, 16 kHz mono, as received
 *   (`pcm16`: 1 to 1600 samples) or decoded (`opus`: 320 samples).
 * @property {() => void} pause No socket is attached: neither speak into the void nor move on.
 * @property {() => void} resume A socket is attached again.
 * @property {() => void} stop The call ended; release every timer.
 */

/** @typedef {(call: PersonaCall) => PersonaEngine} PersonaFactory */

export {};
