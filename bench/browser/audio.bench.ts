/**
 * Audio path: the SDK's own added latency on each side, measured in the page, on each codec
 * (Opus, and pcm16 in a page whose SDK finds no WebCodecs).
 * - Capture: a click injected into a synthetic microphone (probes/synthetic-mic.js) → the
 *   uplink frame that carries it, at WebSocket.send in the SDK's Worker (Opus frames decoded by
 *   the probe to find the click). For reference, the same click is also
 *   timed at an AnalyserNode in an AudioContext of the bench's own: the part of the path that
 *   any Web Audio capture pays before the SDK's code runs.
 * - Playback: a persona frame whose first sample starts a tone burst (lib/click-persona.mjs),
 *   as it arrives at the socket in the Worker → the burst's onset at the SDK's <audio> element
 *   (probes/audio-onsets.js). Jitter buffer, worklet, peer-connection loopback and the
 *   element's own pipeline are all inside; the onset is also taken where the SDK's audio
 *   enters the loopback, to split the figure in two.
 */
import { repeated } from '../lib/figures.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall } from './calls.ts';
import { test } from './fixtures.ts';

const CALLS = 3;
const CODECS = ['opus', 'pcm16'] as const;
const CLICKS_PER_CALL = 30;
/** Audio before this long after `ready` is left out: the loopback is still settling. */
const SETTLE_MS = 1000;
/** An onset at the element belongs to the last onset at the socket within this long. */
const PAIRING_WINDOW_MS = 400;

test.use({ persona: 'clicks' });

/** For each onset `later`, the time since the latest onset `earlier` before it, within the window. */
function delays(earlier: number[], later: number[], since: number): number[] {
  return later.flatMap((heard) => {
    const sent = earlier.filter((at) => at >= since && at <= heard).at(-1);
    return sent !== undefined && heard - sent <= PAIRING_WINDOW_MS ? [heard - sent] : [];
  });
}

/** What one codec's calls measured. */
interface Measured {
  capture: number[];
  captureReference: number[];
  playback: number[];
  toLoopback: number[];
  throughLoopback: number[];
  jitterBufferMs: number[];
  renderPeriodMs: number;
}

test('audio path', async ({ openBenchPage, athos }) => {
  test.setTimeout(CALLS * 2 * 60_000);
  const byCodec: Record<string, Measured> = {};
  for (const codec of CODECS) {
    const measured: Measured = {
      capture: [],
      captureReference: [],
      playback: [],
      toLoopback: [],
      throughLoopback: [],
      jitterBufferMs: [],
      renderPeriodMs: 0,
    };
    byCodec[codec] = measured;
    for (let call = 0; call < CALLS; call += 1) {
      const page = await openBenchPage(['synthetic-mic', 'audio-onsets'], { codec });
      await startCall(page, athos);
      await page.waitForTimeout(SETTLE_MS);
      const from = await page.evaluate(() => performance.now());
      const result = await page.evaluate(async (clicks) => {
        const { __mic: mic, __onsets: onsets } = window;
        const micReference: number[] = [];
        onsets.watch(new MediaStream([mic.track.clone()]), micReference);
        for (let i = 0; i < clicks; i += 1) {
          mic.click();
          await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 100));
        }
        const { socket, loopbackInput, element } = onsets;
        const jitterBufferMs = await onsets.jitterBufferMs();
        return {
          capture: mic.latencies,
          clicks: mic.clicks,
          socket,
          loopbackInput,
          element,
          micReference,
          jitterBufferMs,
          renderPeriodMs: mic.renderPeriodMs,
        };
      }, CLICKS_PER_CALL);
      measured.capture.push(...result.capture);
      measured.captureReference.push(...delays(result.clicks, result.micReference, from));
      const { socket, loopbackInput, element } = result;
      measured.playback.push(...delays(socket, element, from));
      measured.toLoopback.push(...delays(socket, loopbackInput, from));
      measured.throughLoopback.push(...delays(loopbackInput, element, from));
      measured.renderPeriodMs = result.renderPeriodMs;
      if (result.jitterBufferMs !== null) measured.jitterBufferMs.push(result.jitterBufferMs);
      await endCall(page);
      await page.close();
    }
  }
  const figures = CODECS.flatMap((codec) => {
    const measured = byCodec[codec] as Measured;
    // The targets are Opus's, the codec of every browser with WebCodecs.
    const target = <T>(value: T) => (codec === 'opus' ? { target: value } : {});
    return [
      repeated(`capture (${codec}): microphone sample → frame at WebSocket.send`, 'ms', measured.capture, {
        ...target({ max: 30, of: 'median' as const }),
        note: `includes up to ${measured.renderPeriodMs.toFixed(0)} ms of the synthetic microphone's render period`,
      }),
      repeated(`  reference (${codec} call): the same click at an AnalyserNode outside the SDK`, 'ms', measured.captureReference),
      repeated(`playback (${codec}): frame at the socket → sound at \`<audio>\``, 'ms', measured.playback, {
        ...target({ max: 80, of: 'median' as const }),
      }),
      repeated(
        `playback (${codec}), part 1: socket → into the loopback (codec, jitter buffer, worklet)`,
        'ms',
        measured.toLoopback,
      ),
      repeated(`playback (${codec}), part 2: through the peer-connection loopback → \`<audio>\``, 'ms', measured.throughLoopback),
      repeated(
        `  of which the loopback receiver's WebRTC jitter buffer (getStats, per call, ${codec})`,
        'ms',
        measured.jitterBufferMs,
      ),
    ];
  });
  recordBench('audio', figures, byCodec);
});
