/**
 * A machine without an audio output device (issue 12, finding 3), in Chromium and in Firefox.
 * Firefox then never runs an AudioContext (`resume()` never settles): real here, with no sound
 * server. Chromium falls back to a silent fake output and runs its contexts anyway, so there the
 * same machine is emulated by holding every context suspended (e2e/browsers/chromium.ts).
 *
 * The capture path starts first and cannot start, so connect() fails before the token is
 * redeemed, with a message that says what happened, and no false AUDIO_PLAYBACK_BLOCKED.
 */
import {
  connectResult,
  errorEvents,
  eventNames,
  expect,
  expectConnectRejected,
  redemptionsStarted,
  startWith,
  test,
} from '../fixtures.ts';

test.use({ browserSetup: { speakers: 'absent' } });

test('INTERNAL_ERROR when the audio never starts: before redemption, nothing left running, no AUDIO_PLAYBACK_BLOCKED', async ({
  harness: page,
  athos,
}) => {
  await startWith(page, athos, { token: await athos.mintToken() });
  await expectConnectRejected(page, 'INTERNAL_ERROR', { phase: 'media', retryable: false });
  const result = await connectResult(page);
  expect(result.ok || typeof result.error === 'string' ? '' : result.error.message).toMatch(
    /did not start the audio of the microphone within 5 s.*without a working audio output device/,
  );
  expect(await errorEvents(page)).not.toContainEqual(expect.objectContaining({ code: 'AUDIO_PLAYBACK_BLOCKED' }));
  expect(await eventNames(page)).toEqual(['connecting', 'error']);
  expect(await redemptionsStarted(page)).toBe(0);
});
