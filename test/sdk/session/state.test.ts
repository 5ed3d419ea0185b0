import { describe, expect, it, vi } from 'vitest';
import { ATHOS_EVENT_NAMES, AthosRoleplayError, RoleplaySession } from '../../../src/index.ts';
import { ATHOS_IDLE_SNAPSHOT } from '../../../src/session/SessionSnapshot.ts';
import { fakeParts, REDEMPTION } from '../fakeParts.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

/** Every event in order, stateChange written as `state:<previous>→<state>`. */
function record(session: RoleplaySession): string[] {
  const seen: string[] = [];
  for (const name of ATHOS_EVENT_NAMES) {
    session.on(name, (payload) => {
      if (name === 'stateChange') {
        const { state, previous } = payload as { state: string; previous: string };
        seen.push(`state:${previous}→${state}`);
      } else if (!name.endsWith('Speaking')) {
        seen.push(name);
      }
    });
  }
  return seen;
}

describe('stateChange', () => {
  it('announces every transition of a call with a drop, just before the event that goes with it', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const seen = record(session);
    await session.connect();
    fake.handles.transport?.onDrop(Date.now() + 30_000);
    fake.handles.transport?.onRecover();
    await session.disconnect();
    expect(seen).toEqual([
      'state:idle→connecting',
      'connecting',
      'state:connecting→connected',
      'ready',
      'state:connected→reconnecting',
      'reconnecting',
      'state:reconnecting→connected',
      'reconnected',
      'state:connected→ended',
      'ended',
    ]);
  });

  it('goes from connecting to ended when connect() fails, before the error', async () => {
    const fake = fakeParts();
    fake.microphone.start.mockRejectedValueOnce(new AthosRoleplayError('MIC_PERMISSION_DENIED', 'no', { phase: 'media' }));
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const seen = record(session);
    await session.connect().catch(() => undefined);
    expect(seen).toEqual(['state:idle→connecting', 'connecting', 'state:connecting→ended', 'error']);
  });

  it('is not emitted for a refused second connect()', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await session.connect();
    const seen = record(session);
    await session.connect().catch(() => undefined);
    expect(seen).toEqual(['error']);
  });

  it('lets a handler of the first transition cancel the call at once', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const seen = record(session);
    session.on('stateChange', ({ state }) => {
      if (state === 'connecting') void session.disconnect();
    });
    await expect(session.connect()).resolves.toBeUndefined();
    expect(fake.redeem).not.toHaveBeenCalled();
    expect(seen).toEqual(['state:idle→connecting', 'connecting', 'state:connecting→ended']);
  });
});

describe('getters', () => {
  it('tell muted, persona, callId, transport and codec as soon as each is known', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const known: unknown[] = [];
    const look = () => known.push([session.callId, session.persona?.name, session.transport, session.codec]);
    // The transport starts with the microphone; the call is known once it connects.
    fake.transport.connect.mockImplementation(async () => void look());
    expect([session.muted, session.persona, session.callId, session.transport, session.codec]).toEqual([
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    await session.connect();
    look();
    await session.mute();
    expect(session.muted).toBe(true);
    await session.unmute();
    expect(session.muted).toBe(false);
    expect(known).toEqual([
      ['athos_call_fake', 'Dorothy Hale', undefined, undefined],
      ['athos_call_fake', 'Dorothy Hale', 'websocket', 'pcm16'],
    ]);
    await session.disconnect();
    expect([session.callId, session.persona, session.transport]).toEqual(['athos_call_fake', REDEMPTION.persona, 'websocket']);
  });
});

describe('snapshot and subscribe()', () => {
  it('starts as the initial snapshot, frozen, and stays the same object while nothing changes', () => {
    const session = new RoleplaySession(OPTIONS, fakeParts().parts);
    expect(session.snapshot).toBe(ATHOS_IDLE_SNAPSHOT);
    expect(Object.isFrozen(session.snapshot)).toBe(true);
    expect(session.snapshot).toBe(session.snapshot);
    session.setVolume(1);
    expect(session.snapshot).toBe(ATHOS_IDLE_SNAPSHOT);
  });

  it('notifies once per change, with a new frozen object that says everything a call screen shows', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const { subscribe } = session; // bound: usable as it is
    const seen: unknown[] = [];
    const stop = subscribe(() => seen.push(session.snapshot));
    await session.connect();
    fake.handles.output?.onSpeakingChange(true);
    await session.mute();
    session.setVolume(0.5);
    stop();
    await session.disconnect();
    expect(seen).toEqual([
      { ...ATHOS_IDLE_SNAPSHOT, state: 'connecting' },
      { ...ATHOS_IDLE_SNAPSHOT, state: 'connecting', callId: 'athos_call_fake', persona: REDEMPTION.persona },
      expect.objectContaining({ state: 'connected', transport: 'websocket', codec: 'pcm16' }),
      expect.objectContaining({ personaSpeaking: true }),
      expect.objectContaining({ muted: true, personaSpeaking: true }),
      expect.objectContaining({ muted: true, volume: 0.5 }),
    ]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.every((snapshot) => Object.isFrozen(snapshot))).toBe(true);
    expect(session.snapshot).toMatchObject({ state: 'ended', personaSpeaking: false, userSpeaking: false, muted: true });
  });

  it('a subscriber that throws disturbs neither the session nor the other subscribers', async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const other = vi.fn();
    session.subscribe(() => {
      throw new Error('app bug');
    });
    session.subscribe(other);
    await session.connect();
    expect(session.state).toBe('connected');
    expect(other).toHaveBeenCalled();
  });
});
