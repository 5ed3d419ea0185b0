/**
 * The fictitious people the scripted persona plays, and how one is picked for a call.
 * @module
 */
import { productLine } from './product-line.js';

/**
 * @typedef {object} PersonaProfile
 * @property {string} id Names the persona's greeting line.
 * @property {string} name
 * @property {'female' | 'male'} gender Also picks the synthetic voice.
 * @property {import('./product-line.js').ProductLine[]} lines Product lines this persona is used for.
 * @property {{ city: string, state: string, zip: string }} address
 * @property {string} dateOfBirth ISO date.
 * @property {string} currentPlan
 */

/**
 * @typedef {object} MedicareDetails
 * @property {'female' | 'male'} gender
 * @property {string} dateOfBirth
 * @property {{ city: string, state: string, zip: string }} address
 * @property {string} planCategory
 * @property {string} currentPlan
 */

/** @typedef {{ name: string, details: MedicareDetails | null }} Persona */

/** @type {readonly PersonaProfile[]} */
export const PERSONAS = Object.freeze([
  {
    id: 'margaret',
    name: 'Margaret Ellison',
    gender: 'female',
    lines: ['ma', 'ms'],
    address: { city: 'Fresno', state: 'CA', zip: '93721' },
    dateOfBirth: '1956-03-14',
    currentPlan: 'Original Medicare with a Part D drug plan',
  },
  {
    id: 'harold',
    name: 'Harold Brooks',
    gender: 'male',
    lines: ['ma', 'ms'],
    address: { city: 'Tampa', state: 'FL', zip: '33602' },
    dateOfBirth: '1953-11-02',
    currentPlan: 'Sunbelt Senior Advantage (HMO)',
  },
  {
    id: 'linda',
    name: 'Linda Navarro',
    gender: 'female',
    lines: ['ma', 'ms'],
    address: { city: 'San Antonio', state: 'TX', zip: '78205' },
    dateOfBirth: '1958-06-21',
    currentPlan: 'Lone Prairie Medicare Choice (PPO)',
  },
  {
    id: 'walter',
    name: 'Walter Kim',
    gender: 'male',
    lines: ['ma', 'ms'],
    address: { city: 'Phoenix', state: 'AZ', zip: '85004' },
    dateOfBirth: '1950-09-09',
    currentPlan: 'Medicare Supplement Plan G',
  },
  {
    id: 'dennis',
    name: 'Dennis Carter',
    gender: 'male',
    lines: ['fe'],
    address: { city: 'Dayton', state: 'OH', zip: '45402' },
    dateOfBirth: '1949-04-30',
    currentPlan: 'A small policy through his old employer',
  },
  {
    id: 'rosa',
    name: 'Rosa Delgado',
    gender: 'female',
    lines: ['u65'],
    address: { city: 'Denver', state: 'CO', zip: '80202' },
    dateOfBirth: '1984-08-12',
    currentPlan: 'No coverage since leaving her job',
  },
  {
    id: 'priya',
    name: 'Priya Raman',
    gender: 'female',
    lines: ['hi'],
    address: { city: 'Newark', state: 'NJ', zip: '07102' },
    dateOfBirth: '1979-01-25',
    currentPlan: 'A high-deductible marketplace plan',
  },
  {
    id: 'tom',
    name: 'Tom Becker',
    gender: 'male',
    lines: ['ci'],
    address: { city: 'Peoria', state: 'IL', zip: '61602' },
    dateOfBirth: '1975-10-03',
    currentPlan: 'Employer health plan',
  },
]);

const PLAN_CATEGORY = Object.freeze({ ma: 'Medicare Advantage', ms: 'Medicare Supplement' });

/**
 * Picks the persona of a new call: one of the drill's product line, in `state` when one is
 * (best effort: an unknown state is ignored).
 * @param {string} drillKey a known drill key
 * @param {unknown} state `filters.state` as sent
 * @param {Date} now
 * @returns {{ profile: PersonaProfile, persona: Persona }}
 */
export function choosePersona(drillKey, state, now) {
  const line = productLine(drillKey);
  const candidates = PERSONAS.filter((p) => p.lines.includes(line));
  const wanted = typeof state === 'string' ? state.trim().toUpperCase() : '';
  const inState = candidates.filter((p) => p.address.state === wanted);
  const pool = inState.length > 0 ? inState : candidates;
  const profile = /** @type {PersonaProfile} */ (pool[Math.floor(Math.random() * pool.length)]);
  return { profile, persona: { name: profile.name, details: medicareDetails(profile, drillKey, now) } };
}

/**
 * @param {PersonaProfile} profile
 * @param {string} drillKey
 * @param {Date} now
 * @returns {MedicareDetails | null}
 */
function medicareDetails(profile, drillKey, now) {
  const line = productLine(drillKey);
  if (line !== 'ma' && line !== 'ms') return null;
  const turning65 = drillKey === 'ma-t65';
  return {
    gender: profile.gender,
    dateOfBirth: turning65 ? birthDateTurning65Soon(now) : profile.dateOfBirth,
    address: { ...profile.address },
    planCategory: PLAN_CATEGORY[line],
    currentPlan: turning65 ? 'Employer group coverage, retiring soon' : profile.currentPlan,
  };
}

/**
 * A turning-65 prospect has their birthday on the first of the month three months from now.
 * @param {Date} now
 */
function birthDateTurning65Soon(now) {
  const birthday = new Date(Date.UTC(now.getUTCFullYear() - 65, now.getUTCMonth() + 3, 1));
  return birthday.toISOString().slice(0, 10);
}
