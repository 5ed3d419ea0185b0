/**
 * A microphone the browser refuses, and a machine without any, in Chromium and in Firefox: the
 * SDK reports it before it redeems the token, so the token stays unspent, and leaves nothing
 * running.
 */
import {
  callSession,
  connectResult,
  createSession,
  eventNames,
  expect,
  expectConnectRejected,
  leftovers,
  NOTHING_RUNNING,
  redemptionsStarted,
  startWith,
  test,
  waitForEvent,
} from '../fixtures.ts';

test.describe('microphone refused', () => {
  test.use({ browserSetup: { microphone: 'refused' } });

  test('MIC_PERMISSION_DENIED from listMicrophones() and connect(), before redemption; the token still starts a call', async ({
    harness: page,
    athos,
    allowMicrophone,
  }) => {
    await createSession(page, athos);
    expect(await callSession(page, 'listMicrophones')).toEqual({
      ok: false,
      value: expect.objectContaining({ code: 'MIC_PERMISSION_DENIED', phase: 'media' }),
    });
    const token = await athos.mintToken();
    await startWith(page, athos, { token });
    await expectConnectRejected(page, 'MIC_PERMISSION_DENIED', { phase: 'media', retryable: false });
    expect(await eventNames(page)).toEqual(['connecting', 'error']);
    expect(await redemptionsStarted(page)).toBe(0);

    const allowed = await allowMicrophone();
    await startWith(allowed, athos, { token });
    await waitForEvent(allowed, 'ready');
    expect(await connectResult(allowed)).toEqual({ ok: true });
    await allowed.evaluate(() => window.harness.session?.disconnect());
  });
});

test.describe('no microphone', () => {
  test.use({ browserSetup: { microphone: 'absent' } });

  test('NO_MIC_AVAILABLE: listMicrophones() is empty and connect() fails before redemption', async ({ harness: page, athos }) => {
    await createSession(page, athos);
    expect(await callSession(page, 'listMicrophones')).toEqual({ ok: true, value: [] });
    await startWith(page, athos, { token: await athos.mintToken() });
    await expectConnectRejected(page, 'NO_MIC_AVAILABLE', { phase: 'media', retryable: false });
    expect(await eventNames(page)).toEqual(['connecting', 'error']);
    expect(await redemptionsStarted(page)).toBe(0);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
  });
});
