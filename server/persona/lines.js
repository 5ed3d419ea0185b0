/**
 * What the scripted persona says: a greeting per persona (naming them and the product line)
 * and replies per difficulty, in a female and a male synthetic voice. `render-lines.sh` runs
 * this module to get the list of audio files to synthesize.
 * @module
 */
import { pathToFileURL } from 'node:url';
import { PERSONAS } from './personas.js';

/** espeak-ng voice of each gender. */
export const VOICES = Object.freeze({ female: 'en-us+f3', male: 'en-us+m3' });

/** @type {Readonly<Record<string, string>>} */
const GREETINGS = Object.freeze({
  margaret: 'Hello, this is Margaret Ellison. Is this about my Medicare?',
  harold: 'Harold Brooks speaking. Is this about Medicare?',
  linda: 'Hi, this is Linda Navarro. Is this about my Medicare plan?',
  walter: 'Walter Kim here. Is this about my Medicare?',
  dennis: 'Hello, Dennis Carter here. Is this about burial insurance?',
  rosa: 'Hi, this is Rosa Delgado. I asked about health insurance.',
  priya: 'Priya Raman speaking. Is this about hospital coverage?',
  tom: 'Tom Becker here. Is this about illness cover?',
});

/** Beginner is cooperative, Advanced the standard prospect, Elite a tough one. */
const REPLIES = Object.freeze({
  Beginner: [
    'Sure, I have a few minutes. Go ahead.',
    'That sounds helpful. What would it cost me?',
    'Okay. Could I keep my doctors?',
    'That makes sense. What do you need from me?',
    "Alright, let's do it. Thanks for explaining.",
  ],
  Advanced: [
    "I'm a bit busy. Please make it quick.",
    'I already have coverage. Why would I change?',
    'What happens with my doctors if I switch?',
    'That sounds expensive. Anything cheaper?',
    "I'd like to ask my family before I decide.",
  ],
  Elite: [
    'How did you get my number? I get these calls daily.',
    "I'm not interested. You all say the same thing.",
    'My plan is fine. Why should I stay on the line?',
    "That's not what the last agent told me. Which is it?",
    "Put it in writing. I won't decide on the phone.",
  ],
});

/** @typedef {{ file: string, voice: string, text: string }} Line */

/**
 * The script of a call: the persona's greeting, then replies in order.
 * @param {import('./personas.js').PersonaProfile} profile
 * @param {'Beginner' | 'Advanced' | 'Elite'} difficulty
 * @returns {{ greeting: Line, replies: Line[] }}
 */
export function scriptFor(profile, difficulty) {
  const voice = VOICES[profile.gender];
  const greeting = { file: `greeting-${profile.id}.wav`, voice, text: /** @type {string} */ (GREETINGS[profile.id]) };
  const replies = REPLIES[difficulty].map((text, i) => ({
    file: `${profile.gender}-${difficulty.toLowerCase()}-${i + 1}.wav`,
    voice,
    text,
  }));
  return { greeting, replies };
}

/** Every line of every persona and difficulty, once per audio file. */
export function allLines() {
  /** @type {Map<string, Line>} */
  const lines = new Map();
  for (const profile of PERSONAS) {
    for (const difficulty of /** @type {const} */ (['Beginner', 'Advanced', 'Elite'])) {
      const { greeting, replies } = scriptFor(profile, difficulty);
      for (const line of [greeting, ...replies]) lines.set(line.file, line);
    }
  }
  return [...lines.values()];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { file, voice, text } of allLines()) process.stdout.write(`${file}\t${voice}\t${text}\n`);
}
