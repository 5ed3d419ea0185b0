import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoleplaySession } from '../../../src/index.ts';
import { fakeParts } from '../fakeParts.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('getStats()', () => {
  it('is all zero before the call', () => {
    const session = new RoleplaySession(OPTIONS, fakeParts().parts);
    expect(session.getStats()).toEqual({
      rttMs: undefined,
      jitterBufferMs: 0,
      lateFrames: 0,
      lostFrames: 0,
      concealedFrames: 0,
      bytesSent: 0,
      bytesReceived: 0,
      reconnects: 0,
      reconnectingMs: 0,
    });
  });

  it("joins the transport's and the output's figures with the session's reconnects", async () => {
    const fake = fakeParts();
    const session = new RoleplaySession(OPTIONS, fake.parts);
    await session.connect();
    const transport = fake.handles.transport!;
    transport.onDrop(Date.now() + 30_000);
    vi.advanceTimersByTime(2_000);
    transport.onRecover();
    vi.advanceTimersByTime(5_000);
    transport.onDrop(Date.now() + 30_000);
    vi.advanceTimersByTime(1_500);
    expect(session.getStats()).toEqual({
      rttMs: 12,
      jitterBufferMs: 40,
      lateFrames: 2,
      lostFrames: 1,
      concealedFrames: 3,
      bytesSent: 6400,
      bytesReceived: 3200,
      reconnects: 2,
      reconnectingMs: 3_500,
    });
    transport.onRecover();
    await session.disconnect();
    vi.advanceTimersByTime(10_000);
    expect(session.getStats()).toMatchObject({ reconnects: 2, reconnectingMs: 3_500, jitterBufferMs: 0, bytesSent: 6400 });
  });
});
