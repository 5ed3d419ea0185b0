/**
 * Microphone switch: what `setMicrophone()` mid-call costs the uplink. One call, switching
 * between Chromium's two fake microphones SWITCHES times; around each switch, the longest pause
 * between two audio frames the SDK's Worker hands to its socket (from the last frame before the
 * call to the first one AFTER_MS after it resolved, and any burst right behind it), and how
 * many 20 ms frames are missing over that span (none: the capture worklet keeps cutting frames
 * while the source node is swapped).
 */
import { framesMissing, longestPause, uplinkSends, uplinkSpan } from '../../e2e/workerProbe.ts';
import { repeated } from '../lib/figures.mjs';
import { recordBench } from '../lib/results.mjs';
import { endCall, startCall } from './calls.ts';
import { test } from './fixtures.ts';

const SWITCHES = 10;
/** How long after a switch resolved the span measured around it ends. */
const AFTER_MS = 300;
/** Pause between two switches, so that each starts on a steady uplink. */
const SETTLE_MS = 1000;
const FRAME_MS = 20;

test('microphone switch', async ({ openBenchPage, athos }) => {
  const page = await openBenchPage(['timeline']);
  await startCall(page, athos);
  const devices = await page.evaluate(async () =>
    (await window.bench.session!.listMicrophones())
      .filter((mic) => mic.label.startsWith('Fake Audio Input'))
      .map((mic) => mic.deviceId),
  );
  if (devices.length < 2) throw new Error(`two fake microphones expected, found ${devices.length}`);

  const took: number[] = [];
  const gaps: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < SWITCHES; i += 1) {
    await page.waitForTimeout(SETTLE_MS);
    const { from, to } = await page.evaluate(
      async (deviceId) => {
        const before = performance.now();
        await window.bench.session!.setMicrophone(deviceId);
        return { from: before, to: performance.now() };
      },
      devices[(i + 1) % devices.length]!,
    );
    let span: number[] | undefined;
    for (const deadline = Date.now() + 5_000; !span; ) {
      if (Date.now() > deadline) throw new Error('the uplink did not go on after a switch');
      span = uplinkSpan(await uplinkSends(page), from, to + AFTER_MS);
      if (!span) await page.waitForTimeout(FRAME_MS);
    }
    took.push(to - from);
    gaps.push(longestPause(span));
    missing.push(framesMissing(span));
  }
  await endCall(page);

  recordBench(
    'microphone-switch',
    [
      repeated('setMicrophone() → resolved', 'ms', took),
      repeated('longest uplink pause around a switch', 'ms', gaps),
      repeated('20 ms uplink frames missing around a switch', 'frames', missing),
    ],
    { took, gaps, missing },
  );
});
