/**
 * A deterministic local score from the call's turn timing. It only measures how the
 * conversation flowed, not what was said, and says so.
 * @module
 */

/** The rep's share of talk time that earns full marks. */
const IDEAL_TALK_RATIO = { min: 0.3, max: 0.6 };
const TALK_POINTS = 60;
const LATENCY_POINTS = 40;
/** Answering the persona within this earns full marks; at FAST + SPAN it earns none. */
const FAST_ANSWER_MS = 1000;
const SLOW_ANSWER_SPAN_MS = 4000;

/**
 * @param {import('./store/calls.js').Turn[]} transcript ordered by start
 * @returns {import('./store/calls.js').Score}
 */
export function scoreCall(transcript) {
  const spoken = (/** @type {'assistant' | 'user'} */ role) =>
    transcript.filter((t) => t.role === role).reduce((sum, t) => sum + (t.endedAtMs - t.startedAtMs), 0);
  const repMs = spoken('user');
  const personaMs = spoken('assistant');
  if (repMs === 0) {
    return {
      overallScore: 0,
      summary: 'Local score: the rep did not speak.',
      feedback: 'Nothing to assess: talk to the persona so the call can be scored.',
      local: true,
    };
  }

  const ratio = repMs / (repMs + personaMs);
  const distance =
    ratio < IDEAL_TALK_RATIO.min ? IDEAL_TALK_RATIO.min - ratio : ratio > IDEAL_TALK_RATIO.max ? ratio - IDEAL_TALK_RATIO.max : 0;
  const talkPoints = TALK_POINTS * Math.max(0, 1 - distance / 0.4);

  const latencies = answerLatencies(transcript);
  const averageLatency = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null;
  const latencyPoints =
    averageLatency === null
      ? LATENCY_POINTS / 2
      : LATENCY_POINTS * Math.min(1, Math.max(0, 1 - (averageLatency - FAST_ANSWER_MS) / SLOW_ANSWER_SPAN_MS));

  const percent = Math.round(ratio * 100);
  const latencyText =
    averageLatency === null ? 'never answered the persona' : `answered in ${(averageLatency / 1000).toFixed(1)} s on average`;
  const feedback = [
    ratio > IDEAL_TALK_RATIO.max ? 'Talk less and ask more questions; let the prospect speak.' : '',
    ratio < IDEAL_TALK_RATIO.min ? 'Lead the conversation more; the prospect did most of the talking.' : '',
    averageLatency !== null && averageLatency > FAST_ANSWER_MS ? 'Answer the prospect sooner; long pauses lose attention.' : '',
  ].filter(Boolean);
  return {
    overallScore: Math.round(talkPoints + latencyPoints),
    summary: `Local score from timing only: the rep talked ${percent}% of the time and ${latencyText}.`,
    feedback: feedback.length ? feedback.join(' ') : 'Good balance of talking and listening, and quick answers.',
    local: true,
  };
}

/**
 * How long the rep took to start talking after each persona turn that they answered.
 * @param {import('./store/calls.js').Turn[]} transcript
 */
function answerLatencies(transcript) {
  const latencies = [];
  for (let i = 1; i < transcript.length; i++) {
    const before = /** @type {import('./store/calls.js').Turn} */ (transcript[i - 1]);
    const turn = /** @type {import('./store/calls.js').Turn} */ (transcript[i]);
    if (before.role === 'assistant' && turn.role === 'user' && turn.startedAtMs >= before.endedAtMs) {
      latencies.push(turn.startedAtMs - before.endedAtMs);
    }
  }
  return latencies;
}
