/**
 * The media layer where only Chromium can be driven: switching between its fake microphones
 * mid-call, and a microphone whose permission is revoked mid-call (Firefox's WebDriver BiDi
 * can change no microphone permission, and Firefox's pulse-backed microphone is a single
 * device). A whole call, mute, permissions refused and the missing microphone, in both engines:
 * scenarios/call.spec.ts and scenarios/microphone.spec.ts.
 */
import {
  test as base,
  callSession,
  expect,
  framesMissing,
  installMediaProbe,
  longestPause,
  payloads,
  startCall,
  uplinkSends,
  uplinkSpan,
  waitForEvent,
} from './fixtures.ts';

/** Every page also records when it sends audio (see installMediaProbe). */
const test = base.extend({
  page: async ({ page }, use) => {
    await installMediaProbe(page);
    await use(page);
  },
});

test.describe('microphone devices', () => {
  test('setMicrophone() switches to another fake device mid-call; no uplink audio is lost', async ({
    athosPage: page,
    athos,
  }) => {
    const callId = await startCall(page, athos);
    const microphones = await callSession(page, 'listMicrophones');
    const other = (microphones.value as Array<{ deviceId: string; label: string }>).find(
      (mic) => mic.label === 'Fake Audio Input 2',
    );
    expect(other).toBeDefined();
    await expect.poll(async () => (await uplinkSends(page)).length).toBeGreaterThan(25);

    const switchedFrom = await page.evaluate(() => performance.now());
    expect(await callSession(page, 'setMicrophone', other!.deviceId)).toEqual({ ok: true, value: undefined });
    const switchedAt = await page.evaluate(() => performance.now());
    // From the last frame before the switch to the first one 200 ms after it (and any burst behind it).
    const spanAround = async () => uplinkSpan(await uplinkSends(page), switchedFrom, switchedAt + 200);
    await expect.poll(spanAround).toBeDefined();
    const around = (await spanAround())!;
    console.log(
      `[measure] setMicrophone: took ${Math.round(switchedAt - switchedFrom)} ms; longest uplink gap around it ${Math.round(longestPause(around))} ms`,
    );
    // How long the uplink pauses is not this test's to judge: bench/ measures it on a quiet
    // machine (microphone-switch: 22–30 ms); with tests in parallel it has reached 200 ms.
    // What the rep says is not lost: one frame per 20 ms across the switch.
    expect(framesMissing(around)).toBeLessThanOrEqual(5);

    const liveDevices = await page.evaluate(() =>
      window.leakProbe.tracks
        .filter((track: MediaStreamTrack) => track.readyState === 'live')
        .map((track: MediaStreamTrack) => track.getSettings().deviceId),
    );
    expect(liveDevices).toEqual([other!.deviceId]);
    expect(await payloads(page, 'error')).toEqual([]);
    expect(await page.evaluate(() => window.harness.session?.state)).toBe('connected');
    const before = (await athos.callStats(callId)).uplinkFrames as number;
    await expect.poll(async () => (await athos.callStats(callId)).uplinkFrames).toBeGreaterThan(before + 25);

    const unknown = await callSession(page, 'setMicrophone', 'no-such-microphone');
    expect(unknown).toEqual({ ok: false, value: expect.objectContaining({ code: 'INVALID_REQUEST', phase: 'media' }) });
    const afterUnknown = await page.evaluate(() => performance.now());
    await expect.poll(async () => (await uplinkSends(page)).filter((at) => at > afterUnknown).length).toBeGreaterThan(10);
  });
});

test.describe('the microphone revoked mid-call', () => {
  test('MIC_DEVICE_DISCONNECTED once; the call and the uplink go on', async ({ athosPage: page, athos, context }) => {
    const callId = await startCall(page, athos);
    await context.clearPermissions();
    await waitForEvent(page, 'error');
    expect(await payloads(page, 'error')).toEqual([expect.objectContaining({ code: 'MIC_DEVICE_DISCONNECTED', phase: 'media' })]);
    const frames = (await athos.callStats(callId)).uplinkFrames as number;
    await expect.poll(async () => (await athos.callStats(callId)).uplinkFrames).toBeGreaterThan(frames + 25);
    expect(await page.evaluate(() => window.harness.session?.state)).toBe('connected');
    expect(await payloads(page, 'error')).toHaveLength(1);
  });
});
