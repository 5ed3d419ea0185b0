import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AthosEventMap, AthosRoleplayError, RoleplaySession } from '../../../src/index.ts';
import { fakeParts } from '../fakeParts.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

async function liveCall() {
  const fake = fakeParts();
  const session = new RoleplaySession(OPTIONS, fake.parts);
  const ended: Array<AthosEventMap['ended']> = [];
  session.on('ended', (payload) => ended.push(payload));
  await session.connect();
  return { ...fake, session, ended, transportEvents: fake.handles.transport! };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ended.reason', () => {
  it('is client after disconnect()', async () => {
    const call = await liveCall();
    await call.session.disconnect();
    expect(call.ended.map((payload) => payload.reason)).toEqual(['client']);
  });

  it.each(['max_duration', 'ended_by_athos', 'resume_timeout', 'client'])("is the gateway's %s", async (reason) => {
    const call = await liveCall();
    vi.setSystemTime(Date.now() + 9_000);
    call.transportEvents.onEnd({ reason, durationSec: 9 });
    expect(call.ended[0]).toMatchObject({ reason, durationSec: 9 });
  });

  it('is ended_by_athos for a reason this SDK does not know (a normal close without ended included)', async () => {
    const call = await liveCall();
    call.transportEvents.onEnd({ reason: 'unknown', durationSec: undefined });
    expect(call.ended[0]?.reason).toBe('ended_by_athos');
  });

  it('is network_lost when the reconnect window passed, resume_timeout when Athos refused the resume', async () => {
    const lost = await liveCall();
    lost.transportEvents.onDrop(Date.now() + 30_000);
    lost.transportEvents.onFatal(new AthosRoleplayError('NETWORK_LOST', 'gone', { phase: 'call' }));
    expect(lost.ended[0]?.reason).toBe('network_lost');

    const refused = await liveCall();
    refused.transportEvents.onDrop(Date.now() + 30_000);
    refused.transportEvents.onFatal(new AthosRoleplayError('NETWORK_LOST', 'refused', { phase: 'call', closeCode: 4003 }));
    expect(refused.ended[0]?.reason).toBe('resume_timeout');
  });

  it('is error for any other error that ended the call, live or while connecting', async () => {
    const call = await liveCall();
    call.transportEvents.onFatal(new AthosRoleplayError('INTERNAL_ERROR', 'failed', { phase: 'call', closeCode: 1011 }));
    expect(call.ended[0]?.reason).toBe('error');

    const fake = fakeParts();
    fake.transport.connect.mockRejectedValueOnce(new AthosRoleplayError('TENANT_INACTIVE', 'off', { phase: 'connect' }));
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const ended: unknown[] = [];
    session.on('ended', (payload) => ended.push(payload));
    await session.connect().catch(() => undefined);
    expect(ended).toEqual([expect.objectContaining({ reason: 'error', durationSec: 0 })]);
  });
});

describe('ended.metrics and getTalkMetrics()', () => {
  it('follow the speaking events live and are final in ended', async () => {
    const call = await liveCall();
    vi.advanceTimersByTime(300);
    call.handles.output?.onSpeakingChange(true);
    vi.advanceTimersByTime(2_000);
    call.handles.microphone?.onSpeakingChange(true); // over the persona
    vi.advanceTimersByTime(500);
    call.handles.output?.onSpeakingChange(false);
    vi.advanceTimersByTime(1_500);
    expect(call.session.getTalkMetrics()).toEqual({
      repTalkMs: 2_000,
      personaTalkMs: 2_500,
      talkRatio: 2_000 / 4_500,
      longestRepMonologueMs: 1_500,
      interruptions: 1,
      deadAirCount: 0,
      deadAirMs: 0,
    });
    call.handles.microphone?.onSpeakingChange(false);
    vi.advanceTimersByTime(4_000);
    await call.session.disconnect();
    const final = { ...call.session.getTalkMetrics() };
    expect(final).toMatchObject({ repTalkMs: 2_000, deadAirCount: 1, deadAirMs: 4_000 });
    expect(call.ended[0]?.metrics).toEqual(final);
    vi.advanceTimersByTime(10_000);
    expect(call.session.getTalkMetrics()).toEqual(final);
  });

  it('leave out the time spent reconnecting', async () => {
    const call = await liveCall();
    call.handles.output?.onSpeakingChange(true);
    vi.advanceTimersByTime(1_000);
    call.transportEvents.onDrop(Date.now() + 30_000);
    vi.advanceTimersByTime(20_000);
    call.transportEvents.onRecover();
    vi.advanceTimersByTime(1_000);
    expect(call.session.getTalkMetrics()).toMatchObject({ personaTalkMs: 1_000, deadAirCount: 0 });
  });
});
