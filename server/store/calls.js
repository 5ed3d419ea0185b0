/**
 * Calls this server ran, from redemption to score. In memory.
 * @module
 */
import { randomId } from '../ids.js';

/**
 * @typedef {object} Turn
 * @property {'assistant' | 'user'} role
 * @property {string} content the persona's line, or a note of how long the rep spoke
 * @property {number} startedAtMs since the call started
 * @property {number} endedAtMs
 * @property {boolean} [interrupted] the rep cut the persona off
 */

/**
 * Live counters, for the fault controls' call stats.
 * @typedef {object} CallStats
 * @property {number} uplinkFrames
 * @property {number} uplinkBytes
 * @property {number} uplinkPeak highest absolute sample, 0–32767
 * @property {number} uplinkVoicedFrames frames loud enough to count as speech
 * @property {number} downlinkFrames binary frames sent, resends included
 * @property {number} lastSeqSent
 * @property {number} resumes
 * @property {number} sendQueuePeak most bytes ever queued for the call's socket (its `bufferedAmount`)
 */

/**
 * @typedef {object} Score
 * @property {number} overallScore 0–100
 * @property {string} summary
 * @property {string} feedback
 * @property {true} local computed by this local server, not by Athos
 */

/** @typedef {'created' | 'live' | 'ended' | 'scoring' | 'scored'} CallState */
/** @typedef {'client' | 'max_duration' | 'ended_by_athos' | 'resume_timeout'} EndReason */

/**
 * @typedef {object} CallRecord
 * @property {string} callId `athos_call_…`
 * @property {string} sessionId `ext_…`
 * @property {string} requestId of the redemption that created the call
 * @property {string} externalUserId
 * @property {string | null} externalAgencyId
 * @property {string} drillKey
 * @property {'Beginner' | 'Advanced' | 'Elite'} difficulty
 * @property {import('../persona/personas.js').Persona} persona
 * @property {import('../persona/personas.js').PersonaProfile} profile
 * @property {CallState} state
 * @property {string} createdAt
 * @property {number} startDeadlineMs when neither its token nor a ticket can start the call any
 *   more: a call still `created` then is forgotten
 * @property {string | null} startedAt
 * @property {string | null} endedAt
 * @property {number | null} durationSec
 * @property {EndReason | null} endedReason
 * @property {import('../gateway/codecs.js').Codec | null} codec the audio codec, once live
 * @property {Turn[]} transcript
 * @property {Score | null} score
 * @property {CallStats} stats
 */

/**
 * @typedef {Pick<CallRecord, 'requestId' | 'externalUserId' | 'externalAgencyId' | 'drillKey' | 'difficulty' | 'persona' | 'profile' | 'startDeadlineMs'>} NewCall
 */

/**
 * @param {{ retentionSec: number }} options how long a call is kept after it ended
 */
export function createCallStore({ retentionSec }) {
  /** @type {Map<string, CallRecord>} */
  const calls = new Map();

  /**
   * Whether a call is past keeping: ended more than the retention ago, or never started.
   * @param {CallRecord} call
   * @param {number} now
   */
  const forgotten = (call, now) =>
    call.endedAt === null
      ? call.state === 'created' && now >= call.startDeadlineMs
      : now >= Date.parse(call.endedAt) + retentionSec * 1000;

  return {
    /**
     * @param {NewCall} fields
     * @returns {CallRecord}
     */
    create(fields) {
      /** @type {CallRecord} */
      const call = {
        ...fields,
        callId: randomId('athos_call_'),
        sessionId: randomId('ext_'),
        state: 'created',
        createdAt: new Date().toISOString(),
        startedAt: null,
        endedAt: null,
        durationSec: null,
        endedReason: null,
        codec: null,
        transcript: [],
        score: null,
        stats: {
          uplinkFrames: 0,
          uplinkBytes: 0,
          uplinkPeak: 0,
          uplinkVoicedFrames: 0,
          downlinkFrames: 0,
          lastSeqSent: 0,
          resumes: 0,
          sendQueuePeak: 0,
        },
      };
      calls.set(call.callId, call);
      return call;
    },

    /** @param {string} callId */
    get(callId) {
      const call = calls.get(callId);
      return call && !forgotten(call, Date.now()) ? call : undefined;
    },

    /** Every call, in the order they were created. */
    all() {
      return [...calls.values()];
    },

    /** Scored calls, newest first (by start, then id). */
    scored() {
      const now = Date.now();
      return [...calls.values()]
        .filter((call) => call.state === 'scored' && !forgotten(call, now))
        .sort((a, b) => compareNewestFirst(a, b));
    },

    /**
     * Forgets the calls past keeping.
     * @param {number} now
     */
    sweep(now) {
      for (const [callId, call] of calls) if (forgotten(call, now)) calls.delete(callId);
    },
  };
}

/**
 * The order of `GET /calls`.
 * @param {{ startedAt: string | null, callId: string }} a
 * @param {{ startedAt: string | null, callId: string }} b
 */
export function compareNewestFirst(a, b) {
  const byStart = Date.parse(b.startedAt ?? '') - Date.parse(a.startedAt ?? '');
  if (byStart !== 0) return byStart;
  return a.callId < b.callId ? 1 : a.callId > b.callId ? -1 : 0;
}
