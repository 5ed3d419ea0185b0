import { describe, expect, it } from 'vitest';
import { AthosRoleplayError, RoleplaySession } from '../../../src/index.ts';
import { fakeParts } from '../fakeParts.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

async function liveCall() {
  const fake = fakeParts();
  const session = new RoleplaySession(OPTIONS, fake.parts);
  await session.connect();
  return { ...fake, session };
}

describe('levels', () => {
  it('are 0 before the call, then read from the microphone and the output', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    expect([session.getInputLevel(), session.getOutputLevel()]).toEqual([0, 0]);
    await session.connect();
    expect([session.getInputLevel(), session.getOutputLevel()]).toEqual([0.5, 0.25]);
  });

  it('the input level is 0 while muted, whatever the microphone hears', async () => {
    const call = await liveCall();
    await call.session.mute();
    expect(call.session.getInputLevel()).toBe(0);
    await call.session.unmute();
    expect(call.session.getInputLevel()).toBe(0.5);
  });
});

describe('speakers', () => {
  it('listSpeakers() lists the outputs, before the call too', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await expect(session.listSpeakers()).resolves.toEqual([{ deviceId: 'default', label: 'Default' }]);
  });

  it('a speaker chosen before connect() is handed to the output before it starts', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await session.setSpeaker('headset');
    expect(fake.parts.checkSpeaker).toHaveBeenCalledWith(expect.anything(), 'headset');
    expect(session.snapshot.speakerId).toBe('headset');
    await session.connect();
    expect(fake.output.setSpeaker).toHaveBeenCalledWith('headset');
    expect(fake.output.setSpeaker.mock.invocationCallOrder[0]).toBeLessThan(fake.output.start.mock.invocationCallOrder[0]!);
  });

  it('setSpeaker() mid-call switches the output', async () => {
    const call = await liveCall();
    await call.session.setSpeaker('usb');
    expect(call.output.setSpeaker).toHaveBeenLastCalledWith('usb');
    expect(call.session.snapshot.speakerId).toBe('usb');
  });

  it('a refused speaker rejects with its code and keeps the current one; no error event', async () => {
    const call = await liveCall();
    const errors: unknown[] = [];
    call.session.on('error', (error) => errors.push(error));
    call.parts.checkSpeaker = async () => {
      throw new AthosRoleplayError('BROWSER_NOT_SUPPORTED', 'no setSinkId', { phase: 'media' });
    };
    await expect(call.session.setSpeaker('usb')).rejects.toMatchObject({ code: 'BROWSER_NOT_SUPPORTED' });
    call.output.setSpeaker.mockRejectedValueOnce(new AthosRoleplayError('INVALID_REQUEST', 'gone', { phase: 'media' }));
    call.parts.checkSpeaker = async () => undefined;
    await expect(call.session.setSpeaker('usb')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(call.session.snapshot.speakerId).toBe('');
    expect(errors).toEqual([]);
  });

  it('setSpeaker() after the call ended rejects with INVALID_REQUEST', async () => {
    const call = await liveCall();
    await call.session.disconnect();
    await expect(call.session.setSpeaker('usb')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('a speaker lost mid-call is reported with speakerLost and the snapshot shows the default output', async () => {
    const call = await liveCall();
    await call.session.setSpeaker('usb');
    const lost: unknown[] = [];
    call.session.on('speakerLost', (payload) => lost.push(payload));
    call.handles.output?.onSpeakerLost('usb');
    expect(lost).toEqual([{ deviceId: 'usb' }]);
    expect(call.session.snapshot.speakerId).toBe('');
    expect(call.session.state).toBe('connected');
  });
});

describe('setVolume()', () => {
  it('clamps to 0–1 and applies before and during the call', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    session.setVolume(0.3);
    await session.connect();
    expect(fake.output.setVolume).toHaveBeenLastCalledWith(0.3);
    session.setVolume(7);
    expect(fake.output.setVolume).toHaveBeenLastCalledWith(1);
    session.setVolume(-1);
    expect(fake.output.setVolume).toHaveBeenLastCalledWith(0);
    expect(session.snapshot.volume).toBe(0);
  });

  it('throws INVALID_REQUEST for anything but a number, and changes nothing', () => {
    const session = new RoleplaySession(OPTIONS, fakeParts().parts);
    for (const bad of [Number.NaN, '0.5', undefined]) {
      expect(() => session.setVolume(bad as number)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
    expect(session.snapshot.volume).toBe(1);
  });
});
