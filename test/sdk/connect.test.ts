import { describe, expect, it, vi } from 'vitest';
import { type AthosEventName, AthosRoleplayError, RoleplaySession } from '../../src/index.ts';
import { fakeParts, REDEMPTION } from './fakeParts.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

function record(session: RoleplaySession) {
  const events: Array<{ name: AthosEventName; payload: unknown }> = [];
  for (const name of ['connecting', 'ready', 'error', 'ended', 'userSpeaking', 'personaSpeaking'] as const) {
    session.on(name, (payload) => void events.push({ name, payload }));
  }
  return events;
}

describe('connect()', () => {
  it('acquires the microphone before redeeming, then goes live and emits ready', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await session.connect();
    expect(fake.calls.indexOf('microphone.start')).toBeLessThan(fake.calls.indexOf('redeem'));
    expect(fake.calls.indexOf('redeem')).toBeLessThan(fake.calls.indexOf('transport.connect'));
    expect(fake.transport.connect.mock.calls[0]?.[0]).toMatchObject({ connectionTicket: 'tkt_fake' });
    expect(session.state).toBe('connected');
    expect(events.map((event) => event.name)).toEqual(['connecting', 'ready']);
    expect(events[1]?.payload).toEqual({ persona: { name: 'Dorothy Hale', details: null } });
  });

  it.each([
    [{ drillKey: 'ma-full-sale' }, 'INVALID_TOKEN'],
    [{ token: '   ', drillKey: 'ma-full-sale' }, 'INVALID_TOKEN'],
    [{ token: 'ast_token', drillKey: '' }, 'INVALID_REQUEST'],
    [{ token: 'ast_token', drillKey: 'ma-full-sale', difficulty: 'Expert' }, 'INVALID_REQUEST'],
    [{ token: 'ast_token', drillKey: 'ma-full-sale', filters: 'CA' }, 'INVALID_REQUEST'],
    [{ token: 'ast_token', drillKey: 'ma-full-sale', apiBase: 'http://athos.example.com' }, 'INVALID_REQUEST'],
    [{ token: 'ast_token', drillKey: 'ma-full-sale', apiBase: 'not a url' }, 'INVALID_REQUEST'],
  ])('rejects bad options %j with %s before any media or network work', async (options, code) => {
    const fake = fakeParts();
    const session = new RoleplaySession(options as never, fake.parts);
    const events = record(session);
    const error = await session.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code, phase: 'connect' });
    expect(fake.calls).toEqual([]);
    expect(events.map((event) => event.name)).toEqual(['connecting', 'error']);
    expect(events[1]?.payload).toBe(error);
    expect(session.state).toBe('ended');
  });

  it('accepts an https apiBase with a trailing slash and plain http on localhost', async () => {
    for (const apiBase of ['https://athos.example.com/', 'http://localhost:8787', 'http://127.0.0.1:8787/']) {
      const fake = fakeParts();
      await new RoleplaySession({ ...OPTIONS, apiBase }, fake.parts).connect();
      expect(fake.redeem.mock.calls[0]?.[0].apiBase).toBe(apiBase.replace(/\/$/, ''));
    }
  });

  it('emits the same error instance that rejects connect(), then ended once past redemption', async () => {
    const fake = fakeParts();
    const failure = new AthosRoleplayError('TENANT_INACTIVE', 'inactive', { phase: 'connect', closeCode: 4403 });
    fake.transport.connect.mockRejectedValueOnce(failure);
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await expect(session.connect()).rejects.toBe(failure);
    expect(events.map((event) => event.name)).toEqual(['connecting', 'error', 'ended']);
    expect(events[1]?.payload).toBe(failure);
    expect(events[2]?.payload).toMatchObject({ callId: 'athos_call_fake', durationSec: 0, reason: 'error' });
    expect(fake.microphone.stop).toHaveBeenCalled();
    expect(fake.output.stop).toHaveBeenCalled();
    expect(fake.transport.close).toHaveBeenCalled();
  });

  it('starts the transport with the microphone, and prepares and plays the playback once the capture runs, before the redemption', async () => {
    const fake = fakeParts();
    let grantMicrophone: () => void = () => undefined;
    fake.microphone.start.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => (grantMicrophone = resolve));
      fake.calls.push('microphone.start');
    });
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const connected = session.connect();
    await Promise.resolve();
    expect(fake.calls).toEqual(['transport.create']);
    expect(fake.microphone.start.mock.calls[0]?.[1]).toBe(fake.transport.capturePort);
    grantMicrophone();
    await connected;
    expect(fake.output.prepare.mock.calls[0]?.[0]).toBe(fake.transport.playbackPort);
    expect(fake.calls.slice(1, 4)).toEqual(['microphone.start', 'output.prepare', 'output.start']);
    expect(fake.calls.indexOf('output.prepare')).toBeLessThan(fake.calls.indexOf('redeem'));
    expect(fake.calls.at(-1)).toBe('transport.connect');
  });

  it('does not emit ended when the failure came before redemption', async () => {
    const fake = fakeParts();
    fake.microphone.start.mockRejectedValueOnce(new AthosRoleplayError('MIC_PERMISSION_DENIED', 'denied', { phase: 'media' }));
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await expect(session.connect()).rejects.toMatchObject({ code: 'MIC_PERMISSION_DENIED' });
    expect(fake.redeem).not.toHaveBeenCalled();
    expect(events.map((event) => event.name)).toEqual(['connecting', 'error']);
    expect(fake.transport.close).toHaveBeenCalled();
    expect(fake.output.stop).toHaveBeenCalled();
  });

  it('wraps an unexpected exception as INTERNAL_ERROR', async () => {
    const fake = fakeParts();
    fake.output.start.mockRejectedValueOnce(new RangeError('boom'));
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await expect(session.connect()).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      message: expect.stringContaining('RangeError: boom'),
    });
  });

  it('never puts the token in an error message or a debug line', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fake = fakeParts();
    const token = 'ast_very_secret';
    fake.redeem.mockRejectedValueOnce(new Error(`server echoed ${token}`));
    const session = new RoleplaySession({ token, drillKey: 'ma-full-sale', debug: true }, fake.parts);
    const error = (await session.connect().catch((caught: unknown) => caught)) as AthosRoleplayError;
    const printed = JSON.stringify([...debug.mock.calls, ...warn.mock.calls]);
    expect(debug).toHaveBeenCalled();
    expect(printed).not.toContain(token);
    expect(error.message).not.toContain(token);
    debug.mockRestore();
    warn.mockRestore();
  });
});

describe('event handlers', () => {
  it('a throwing handler is reported as an uncaught error, and neither breaks the session nor stops other handlers', async () => {
    const fake = fakeParts();
    // Not in debug mode: an app's own bug must not vanish there either.
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const seen: string[] = [];
    const bug = new Error('app bug');
    const asyncBug = new Error('async app bug');
    session.on('ready', () => {
      throw bug;
    });
    session.on('ready', () => void seen.push('second'));
    // biome-ignore lint/nursery/noMisusedPromises: an app's async handler that rejects is what this test feeds the session.
    session.on('connecting', () => Promise.reject(asyncBug));
    await session.connect();
    await Promise.resolve();
    expect(seen).toEqual(['second']);
    expect(session.state).toBe('connected');
    expect(fake.env.reportError.mock.calls).toEqual([[asyncBug], [bug]]);
  });

  it('on() returns an unsubscribe function and off() removes a handler', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = session.on('connecting', first);
    session.on('connecting', second);
    unsubscribe();
    session.off('connecting', second);
    await session.connect();
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
  });
});

describe('mid-call controls', () => {
  it('reject before the call is live and work once it is', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await expect(session.mute()).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(session.setMicrophone('x')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await session.connect();
    await session.mute();
    expect(fake.microphone.setMuted).toHaveBeenLastCalledWith(true);
    expect(fake.transport.setMuted).toHaveBeenLastCalledWith(true);
    await session.unmute();
    expect(fake.microphone.setMuted).toHaveBeenLastCalledWith(false);
    expect(fake.transport.setMuted).toHaveBeenLastCalledWith(false);
    await session.setMicrophone('usb-mic');
    expect(fake.microphone.setDevice).toHaveBeenCalledWith('usb-mic');
  });

  it('mute() resolves only once the transport has stopped the uplink', async () => {
    const fake = fakeParts();
    let stopped = () => {};
    fake.transport.setMuted.mockImplementationOnce(() => new Promise<undefined>((done) => (stopped = () => done(undefined))));
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await session.connect();
    let settled = false;
    const muting = session.mute().then(() => (settled = true));
    await Promise.resolve();
    expect([settled, session.muted]).toEqual([false, true]);
    stopped();
    await muting;
    expect(settled).toBe(true);
  });

  it('reports a rep who is already talking when the call goes live, right after ready', async () => {
    const fake = fakeParts();
    // The microphone hears speech while the token is still being redeemed.
    fake.redeem.mockImplementation(async () => {
      fake.handles.microphone?.onSpeakingChange(true);
      return REDEMPTION;
    });
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await session.connect();
    expect(events.map((event) => event.name)).toEqual(['connecting', 'ready', 'userSpeaking']);
    expect(events[2]?.payload).toEqual({ speaking: true });
  });

  it('does not report a rep who talked before the call went live and stopped', async () => {
    const fake = fakeParts();
    fake.redeem.mockImplementation(async () => {
      fake.handles.microphone?.onSpeakingChange(true);
      fake.handles.microphone?.onSpeakingChange(false);
      return REDEMPTION;
    });
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await session.connect();
    expect(events.map((event) => event.name)).toEqual(['connecting', 'ready']);
  });

  it('reports the rep silent while muted', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const events = record(session);
    await session.connect();
    fake.handles.microphone?.onSpeakingChange(true);
    await session.mute();
    fake.handles.microphone?.onSpeakingChange(true);
    expect(events.filter((event) => event.name === 'userSpeaking').map((event) => event.payload)).toEqual([
      { speaking: true },
      { speaking: false },
    ]);
  });
});
