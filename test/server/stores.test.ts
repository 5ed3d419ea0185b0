// The in-memory stores forget what has served its time. Each test moves the clock past a
// deadline, sweeps, then moves it back: what the sweep deleted stays gone even then, which
// tells a deleted record from one merely hidden by its deadline.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCallStore } from '../../server/store/calls.js';
import { createTicketStore, TICKET_TTL_MS } from '../../server/store/tickets.js';
import { createTokenStore } from '../../server/store/tokens.js';

const START = Date.parse('2026-11-22T10:00:00Z');
const at = (ms: number) => vi.setSystemTime(START + ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  at(0);
});
afterEach(() => vi.useRealTimers());

describe('tokens', () => {
  it('are expired for one lifetime after their TTL, then forgotten', () => {
    const tokens = createTokenStore({ ttlSec: 300 });
    const { token } = tokens.mint({ externalUserId: 'rep', externalAgencyId: null });
    at(300_000);
    const record = tokens.find(token);
    expect(record && Date.now() >= record.expiresAtMs).toBe(true);
    at(599_999);
    expect(tokens.find(token)).toBeDefined();
    at(600_000);
    expect(tokens.find(token)).toBeUndefined();
    tokens.sweep(Date.now());
    at(0);
    expect(tokens.find(token)).toBeUndefined();
  });

  it('are known as expired for at least a minute, however short their TTL', () => {
    const tokens = createTokenStore({ ttlSec: 1 });
    const { token } = tokens.mint({ externalUserId: 'rep', externalAgencyId: null });
    at(60_999);
    expect(tokens.find(token)).toBeDefined();
    at(61_000);
    expect(tokens.find(token)).toBeUndefined();
  });

  it('a sweep keeps what is not due', () => {
    const tokens = createTokenStore({ ttlSec: 300 });
    const { token } = tokens.mint({ externalUserId: 'rep', externalAgencyId: null });
    tokens.sweep(START + 599_999);
    expect(tokens.find(token)).toBeDefined();
  });
});

describe('tickets', () => {
  it('are forgotten once used', () => {
    const tickets = createTicketStore();
    const ticket = tickets.issue('athos_call_1');
    expect(tickets.redeem(ticket)).toEqual({ ok: true, callId: 'athos_call_1' });
    expect(tickets.redeem(ticket)).toEqual({ ok: false, reason: 'invalid' });
    expect(tickets.usable('athos_call_1')).toBeNull();
  });

  it('are expired for one lifetime after their 60 s, then forgotten', () => {
    const tickets = createTicketStore();
    const ticket = tickets.issue('athos_call_1');
    at(TICKET_TTL_MS);
    expect(tickets.redeem(ticket)).toEqual({ ok: false, reason: 'expired' });
    expect(tickets.usable('athos_call_1')).toBeNull();
    at(2 * TICKET_TTL_MS);
    expect(tickets.redeem(ticket)).toEqual({ ok: false, reason: 'invalid' });
    tickets.sweep(Date.now());
    at(0);
    expect(tickets.redeem(ticket)).toEqual({ ok: false, reason: 'invalid' });
    expect(tickets.usable('athos_call_1')).toBeNull();
  });
});

describe('calls', () => {
  const newCall = (startDeadlineMs: number) => ({
    requestId: 'req_1',
    externalUserId: 'rep',
    externalAgencyId: null,
    drillKey: 'ma-full-sale',
    difficulty: 'Advanced' as const,
    persona: { name: 'Test', details: null },
    profile: {} as never,
    startDeadlineMs,
  });

  it('an ended call is kept for the retention time, then forgotten', () => {
    const calls = createCallStore({ retentionSec: 60 });
    const call = calls.create(newCall(START + 1000));
    Object.assign(call, {
      state: 'scored',
      startedAt: new Date(START).toISOString(),
      endedAt: new Date(START + 5000).toISOString(),
    });
    at(64_999);
    expect(calls.get(call.callId)).toBe(call);
    expect(calls.scored()).toEqual([call]);
    at(65_000);
    expect(calls.get(call.callId)).toBeUndefined();
    expect(calls.scored()).toEqual([]);
    calls.sweep(Date.now());
    at(0);
    expect(calls.get(call.callId)).toBeUndefined();
  });

  it('a live call is never forgotten; one that never started is, after its start deadline', () => {
    const calls = createCallStore({ retentionSec: 60 });
    const live = calls.create(newCall(START + 1000));
    live.state = 'live';
    const unstarted = calls.create(newCall(START + 1000));
    at(1000);
    calls.sweep(Date.now());
    at(0);
    expect(calls.get(live.callId)).toBe(live);
    expect(calls.get(unstarted.callId)).toBeUndefined();
  });
});
