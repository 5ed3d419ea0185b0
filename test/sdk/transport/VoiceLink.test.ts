import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AthosRoleplayError } from '../../../src/errors/AthosRoleplayError.ts';
import type { ReconnectPolicy } from '../../../src/transport/ReconnectPolicy.ts';
import { fakeWebCodecs } from '../media/fakeWebCodecs.ts';
import { acceptResume, downlinkFrame, fakeLink, flush, GATEWAY, goLive, LIVE, liveLink, RESUMED } from './fakeGateway.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('connect()', () => {
  it('opens the URL as given, sends the ticket and the offer in the first message only, and resolves on live', async () => {
    const fake = fakeLink();
    const connected = fake.link.connect(GATEWAY, new AbortController().signal);
    await flush();
    const socket = fake.last();
    expect(socket.url).toBe(GATEWAY.url);
    expect(socket.url).not.toContain('tkt_secret');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.sent).toEqual([]);
    socket.accept();
    await flush();
    expect(socket.messages()).toEqual([{ type: 'auth', ticket: 'tkt_secret', protocol: 2, codecs: ['pcm16'] }]);
    socket.receive({ type: 'ping', id: 1 });
    socket.receive(LIVE);
    await expect(connected).resolves.toBeUndefined();
    expect(fake.log).toEqual([]);
    fake.link.close();
  });

  it.each(['http://127.0.0.1:8787/v1/voice', 'ws://gateway.example.com/v1/voice', 'ws://10.0.0.2/v1/voice', 'not a url'])(
    'refuses %s before opening any socket',
    async (connectionUrl) => {
      const fake = fakeLink();
      const error = await fake.link
        .connect({ ...GATEWAY, url: connectionUrl }, new AbortController().signal)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AthosRoleplayError);
      expect(error).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'connect', retryable: false });
      expect((error as Error).message).toContain('wss:');
      expect(fake.sockets).toEqual([]);
    },
  );

  it.each(['wss://voice.useathos.ai/v1/voice', 'ws://localhost:8787/v1/voice', 'ws://[::1]:8787/v1/voice'])(
    'accepts %s',
    async (connectionUrl) => {
      const fake = fakeLink();
      const connected = fake.link.connect({ ...GATEWAY, url: connectionUrl }, new AbortController().signal);
      await flush();
      fake.last().accept();
      await flush();
      fake.last().receive(LIVE);
      await connected;
      expect(fake.last().url).toBe(connectionUrl);
      fake.link.close();
    },
  );

  it('gives up with SERVICE_UNAVAILABLE when the socket does not open within 10 s', async () => {
    const fake = fakeLink();
    const connected = fake.link.connect(GATEWAY, new AbortController().signal);
    const outcome = connected.catch((error: unknown) => error);
    await flush();
    vi.advanceTimersByTime(9_999);
    await flush();
    expect(fake.last().closedByClient).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await outcome).toMatchObject({ code: 'SERVICE_UNAVAILABLE', phase: 'connect' });
    expect(fake.last().closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up with SERVICE_UNAVAILABLE when live does not come within 10 s of auth', async () => {
    const fake = fakeLink();
    const outcome = fake.link.connect(GATEWAY, new AbortController().signal).catch((error: unknown) => error);
    await flush();
    vi.advanceTimersByTime(9_000);
    fake.last().accept();
    await flush();
    fake.last().receive('{"type":"live"}');
    vi.advanceTimersByTime(9_999);
    await flush();
    expect(fake.last().closedByClient).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await outcome).toMatchObject({ code: 'SERVICE_UNAVAILABLE', phase: 'connect' });
    expect(fake.last().closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    [1000, 'INTERNAL_ERROR'],
    [1001, 'SERVICE_UNAVAILABLE'],
    [1006, 'SERVICE_UNAVAILABLE'],
    [1011, 'INTERNAL_ERROR'],
    [4001, 'INVALID_TOKEN'],
    [4002, 'TOKEN_EXPIRED'],
    [4400, 'INTERNAL_ERROR'],
    [4403, 'TENANT_INACTIVE'],
    [4408, 'INTERNAL_ERROR'],
    [4429, 'TENANT_QUOTA_EXCEEDED'],
    [4503, 'SERVICE_UNAVAILABLE'],
    [4777, 'INTERNAL_ERROR'],
  ])('fails on close %i before live with %s, keeping the close code and reason', async (closeCode, code) => {
    const fake = fakeLink();
    const outcome = fake.link.connect(GATEWAY, new AbortController().signal).catch((error: unknown) => error);
    await flush();
    fake.last().accept();
    await flush();
    fake.last().drop(closeCode, 'why not');
    expect(await outcome).toMatchObject({ code, phase: 'connect', closeCode, closeReason: 'why not' });
    expect(fake.sockets).toHaveLength(1);
    expect(fake.log).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails when the socket never opens (connection refused)', async () => {
    const fake = fakeLink();
    const outcome = fake.link.connect(GATEWAY, new AbortController().signal).catch((error: unknown) => error);
    await flush();
    fake.last().drop(1006);
    expect(await outcome).toMatchObject({ code: 'SERVICE_UNAVAILABLE', phase: 'connect', closeCode: 1006 });
  });

  it('honours the abort signal: closes the socket and rejects with its reason', async () => {
    const fake = fakeLink();
    const controller = new AbortController();
    const outcome = fake.link.connect(GATEWAY, controller.signal).catch((error: unknown) => error);
    await flush();
    fake.last().accept();
    await flush();
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(fake.last().closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    fake.last().receive(LIVE);
    expect(fake.log).toEqual([]);
  });

  it('rejects at once with an already aborted signal', async () => {
    const fake = fakeLink();
    const reason = new Error('too late');
    await expect(fake.link.connect(GATEWAY, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fake.sockets).toEqual([]);
  });
});

describe('a live call', () => {
  it('delivers each downlink frame once, in order, without copying it', async () => {
    const fake = await liveLink();
    const first = downlinkFrame(1);
    fake.last().receive(first);
    fake.last().receive(downlinkFrame(2));
    fake.last().receive(downlinkFrame(2));
    fake.last().receive(downlinkFrame(1));
    fake.last().receive(downlinkFrame(5));
    const pcm = fake.log.map(([, payload]) => payload as Int16Array);
    expect(fake.names()).toEqual(['audio', 'audio', 'audio']);
    expect(pcm.map((samples) => samples[0])).toEqual([1, 2, 5]);
    expect(pcm[0]?.buffer).toBe(first);
    expect(pcm[0]).toHaveLength(320);
    fake.link.close();
  });

  it('ignores malformed and unknown input, logging it under debug, without throwing', async () => {
    const fake = await liveLink();
    const socket = fake.last();
    const inputs = [
      '{oops',
      '[]',
      '{"type":42}',
      '{"type":"teleport"}',
      '{"type":"ping"}',
      JSON.stringify(LIVE),
      JSON.stringify(RESUMED),
      '{"type":"warning","code":"BAD_AUDIO_FRAME","message":"odd length"}',
      new ArrayBuffer(0),
      new ArrayBuffer(3),
      new ArrayBuffer(4),
      new ArrayBuffer(7),
    ];
    for (const input of inputs) expect(() => socket.receive(input)).not.toThrow();
    expect(fake.log).toEqual([]);
    expect(fake.logger.debug).toHaveBeenCalledTimes(inputs.length);
    const printed = JSON.stringify(fake.logger.debug.mock.calls);
    expect(printed).not.toContain('rst_secret');
    socket.receive(downlinkFrame(1));
    expect(fake.names()).toEqual(['audio']);
    fake.link.close();
  });

  it('reports clear', async () => {
    const fake = await liveLink();
    fake.last().receive({ type: 'clear', seq: 12 });
    expect(fake.names()).toEqual(['clear']);
    fake.link.close();
  });

  it("answers the gateway's pings and pings every heartbeatMs with the last seq received", async () => {
    const fake = await liveLink();
    const socket = fake.last();
    socket.receive({ type: 'ping', id: 77 });
    socket.receive(downlinkFrame(41));
    vi.advanceTimersByTime(1000);
    socket.receive(downlinkFrame(42));
    vi.advanceTimersByTime(1000);
    expect(socket.messages().slice(1)).toEqual([
      { type: 'pong', id: 77 },
      { type: 'ping', id: 1, ack: 41 },
      { type: 'ping', id: 2, ack: 42 },
    ]);
    fake.link.close();
  });

  it.each([1, 2 ** 31, Number.MAX_SAFE_INTEGER])(
    'with heartbeatMs %d from the gateway, pings no more than four times a second and at least every 2 s',
    async (heartbeatMs) => {
      const fake = fakeLink();
      await goLive(fake, { ...LIVE, heartbeatMs });
      const pings = () =>
        fake
          .last()
          .messages()
          .filter((message) => message.type === 'ping').length;
      for (let ms = 0; ms < 2_000; ms += 100) {
        fake.last().receive({ type: 'pong' });
        vi.advanceTimersByTime(100);
      }
      expect(pings()).toBeGreaterThanOrEqual(1);
      expect(pings()).toBeLessThanOrEqual(8);
      fake.link.close();
    },
  );

  it("keeps debug output to what helps: a pong is not news, and the gateway's strings are escaped", async () => {
    const fake = await liveLink();
    const socket = fake.last();
    for (let id = 1; id <= 5; id += 1) socket.receive({ type: 'pong', id });
    expect(fake.logger.debug).not.toHaveBeenCalled();
    socket.receive({ type: 'warning', code: 'X\n[Athos] all good', message: 'm' });
    expect(fake.logger.debug.mock.calls).toEqual([['the voice gateway warned "X\\n[Athos] all good"']]);
    fake.link.close();
  });

  it('registers the resume token with the logger, so no debug line can print it', async () => {
    const fake = await liveLink();
    expect(fake.logger.addSecret).toHaveBeenCalledWith('rst_secret');
    fake.link.close();
  });

  it('measures the round trip of its own pings from their pongs; other pongs change nothing', async () => {
    const fake = await liveLink();
    const socket = fake.last();
    expect(fake.link.stats.rttMs).toBeUndefined();
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(37);
    socket.receive({ type: 'pong', id: 1 });
    expect(fake.link.stats.rttMs).toBe(37);
    socket.receive({ type: 'pong', id: 1 });
    socket.receive({ type: 'pong', id: 99 });
    socket.receive({ type: 'pong' });
    expect(fake.link.stats.rttMs).toBe(37);
    fake.link.close();
  });

  it('counts payload bytes both ways and persona frames missing from the sequence; names its codec', async () => {
    const fake = fakeLink();
    expect(fake.link.codec).toBeUndefined();
    await goLive(fake);
    const socket = fake.last();
    expect(fake.link.codec).toBe('pcm16');
    fake.link.sendAudio(new ArrayBuffer(640));
    socket.receive(downlinkFrame(1));
    socket.receive(downlinkFrame(2));
    socket.receive(downlinkFrame(5));
    socket.receive(downlinkFrame(5));
    const sentText = socket.sent.filter((data): data is string => typeof data === 'string').join('').length;
    const { bytesSent, bytesReceived, lostFrames } = fake.link.stats;
    expect(bytesSent).toBe(sentText + 640);
    expect(bytesReceived).toBe(JSON.stringify(LIVE).length + 4 * (4 + 640));
    expect(lostFrames).toBe(2);
    fake.link.close();
  });

  it('sends captured audio while live', async () => {
    const fake = await liveLink();
    const frame = new ArrayBuffer(640);
    fake.link.sendAudio(frame);
    expect(fake.last().audio()).toEqual([frame]);
    fake.link.close();
  });

  it('reports ended with the summary, then nothing more', async () => {
    const fake = await liveLink();
    const socket = fake.last();
    socket.receive({ type: 'ended', reason: 'max_duration', callId: 'athos_call_1', durationSec: 7200 });
    socket.receive(downlinkFrame(1));
    socket.receive({ type: 'clear' });
    socket.drop(1000);
    fake.link.retryNow();
    vi.advanceTimersByTime(60_000);
    expect(fake.log).toEqual([['end', { reason: 'max_duration', durationSec: 7200 }]]);
    expect(socket.closedByClient).toBe(true);
    expect(fake.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a normal close without ended as the end of the call', async () => {
    const fake = await liveLink();
    fake.last().drop(1000);
    expect(fake.log).toEqual([['end', { reason: 'unknown', durationSec: undefined }]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    [1011, 'INTERNAL_ERROR'],
    [4001, 'INVALID_TOKEN'],
    [4003, 'NETWORK_LOST'],
    [4400, 'INTERNAL_ERROR'],
    [4403, 'TENANT_INACTIVE'],
    [4409, 'INTERNAL_ERROR'],
    [4429, 'TENANT_QUOTA_EXCEEDED'],
    [4321, 'INTERNAL_ERROR'],
  ])('ends on close %i with a %s error of phase call', async (closeCode, code) => {
    const fake = await liveLink();
    fake.last().drop(closeCode, 'because');
    expect(fake.names()).toEqual(['fatal']);
    expect(fake.log[0]?.[1]).toMatchObject({ code, phase: 'call', closeCode, closeReason: 'because' });
    expect(fake.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([1001, 1005, 1006, 4503])('treats close %i as a drop and resumes at once', async (closeCode) => {
    const fake = await liveLink();
    fake.last().drop(closeCode);
    expect(fake.names()).toEqual(['drop']);
    expect(fake.sockets).toHaveLength(2);
    fake.link.close();
  });
});

describe('dead link detection', () => {
  it('drops a link that carries nothing for 2.5 s, well within 3 s', async () => {
    const fake = await liveLink();
    const stalled = fake.last();
    vi.advanceTimersByTime(2_500);
    expect(fake.names()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fake.names()).toEqual(['drop']);
    expect(stalled.closedByClient).toBe(true);
    expect(fake.sockets).toHaveLength(2);
    fake.link.close();
  });

  it('any traffic keeps the link alive, a busy main thread included', async () => {
    const fake = await liveLink();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2_000);
      fake.last().receive({ type: 'pong', id: i });
    }
    // Busy across the deadline: the gateway's ping is delivered right after the late check.
    vi.advanceTimersByTime(1_000);
    setTimeout(() => fake.last().receive({ type: 'ping', id: 9 }), 1_500);
    vi.advanceTimersByTime(1_501);
    expect(fake.names()).toEqual([]);
    fake.link.close();
  });
});

describe('resuming after a drop', () => {
  it('resumes the same call with the resume token and the last seq, and nothing plays twice', async () => {
    const fake = await liveLink();
    fake.last().receive(downlinkFrame(1));
    fake.last().receive(downlinkFrame(2));
    fake.last().drop(1006);
    const attempt = fake.last();
    expect(attempt.url).toBe(GATEWAY.url);
    attempt.accept();
    await flush();
    expect(attempt.messages()).toEqual([{ type: 'resume', resumeToken: 'rst_secret', lastSeq: 2, codecs: ['pcm16'] }]);
    attempt.receive(RESUMED);
    await flush();
    for (const seq of [2, 3, 4]) attempt.receive(downlinkFrame(seq));
    expect(fake.names()).toEqual(['audio', 'audio', 'drop', 'recover', 'audio', 'audio']);
    const seqs = fake.log.filter(([name]) => name === 'audio').map(([, pcm]) => (pcm as Int16Array)[0]);
    expect(seqs).toEqual([1, 2, 3, 4]);
    vi.advanceTimersByTime(1000);
    expect(attempt.messages().at(-1)).toEqual({ type: 'ping', id: 1, ack: 4 });
    fake.link.close();
  });

  it('never sends audio captured while the link is down, and sends again once back', async () => {
    const fake = await liveLink();
    const first = fake.last();
    first.drop(1006);
    fake.link.sendAudio(new ArrayBuffer(640));
    const attempt = fake.last();
    attempt.accept();
    await flush();
    fake.link.sendAudio(new ArrayBuffer(640));
    attempt.receive(RESUMED);
    await flush();
    const fresh = new ArrayBuffer(640);
    fake.link.sendAudio(fresh);
    expect(first.audio()).toEqual([]);
    expect(attempt.audio()).toEqual([fresh]);
    fake.link.close();
  });

  /** Drops the live link while the network is down, and returns when each attempt started (ms after the drop). */
  async function attemptTimesWhileDown(forMs: number): Promise<number[]> {
    const fake = await liveLink();
    fake.network.down = true;
    const droppedAt = performance.now();
    fake.last().drop(1006);
    await vi.advanceTimersByTimeAsync(forMs);
    expect(fake.names()).toEqual(['drop']);
    fake.link.close();
    expect(vi.getTimerCount()).toBe(0);
    return fake.sockets.slice(1).map((socket) => socket.createdAt - droppedAt);
  }

  const gaps = (times: number[]) => times.slice(1).map((time, index) => time - (times[index] as number));

  it('tries at once, then backs off exponentially, capped at 2 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const times = await attemptTimesWhileDown(12_000);
    expect(times[0]).toBe(0);
    // 250·2^n ms stretched by the largest jitter (×1.999), capped at 2 s.
    expect(gaps(times)).toEqual([500, 1000, 1999, 2000, 2000, 2000, 2000]);
  });

  it('spreads the delays with jitter of ×1 to ×2', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(gaps(await attemptTimesWhileDown(6_000))).toEqual([250, 500, 1000, 2000, 2000]);
  });

  it('keeps trying for the whole window, never more than 2 s apart', async () => {
    const times = await attemptTimesWhileDown(29_999);
    expect(times.length).toBeGreaterThanOrEqual(15);
    expect(times.at(-1)).toBeGreaterThan(27_000);
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(2_000);
  });

  it('reports the deadline with the drop, and NETWORK_LOST when it passes, with nothing left running', async () => {
    const fake = await liveLink();
    fake.network.down = true;
    const droppedAt = Date.now();
    fake.last().drop(1006);
    expect(fake.log).toEqual([['drop', droppedAt + 30_000]]);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fake.names()).toEqual(['drop']);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.names()).toEqual(['drop', 'fatal']);
    expect(fake.log[1]?.[1]).toMatchObject({ code: 'NETWORK_LOST', phase: 'call' });
    expect(fake.sockets.every((socket) => socket.readyState === 3)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abandons an attempt under way when the window passes', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    await vi.advanceTimersByTimeAsync(29_000);
    const late = fake.last();
    late.accept();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.names()).toEqual(['drop', 'fatal']);
    expect(late.closedByClient).toBe(true);
    late.receive(RESUMED);
    await flush();
    expect(fake.names()).toEqual(['drop', 'fatal']);
  });

  it('follows the policy it is given: its window, its attempt timeout and its give-up', async () => {
    const delays: number[] = [];
    const policy: ReconnectPolicy = {
      windowMs: 10_000,
      attemptTimeoutMs: 1_000,
      nextDelayMs: ({ attempts }) => {
        if (attempts < 3) {
          delays.push(attempts * 100);
          return attempts * 100;
        }
        return null;
      },
    };
    const fake = await liveLink(policy);
    const droppedAt = Date.now();
    fake.last().drop(1006);
    expect(fake.log).toEqual([['drop', droppedAt + 10_000]]);
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sockets[1]?.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sockets).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(delays).toEqual([0, 100, 200]);
    expect(fake.sockets).toHaveLength(4);
    expect(fake.names()).toEqual(['drop', 'fatal']);
    expect(fake.log[1]?.[1]).toMatchObject({ code: 'NETWORK_LOST', message: expect.stringContaining('10 seconds') });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("retries a resume the gateway closed with 4408: a stalled link held its message past the gateway's limit", async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    fake.last().accept();
    await flush();
    fake.last().drop(4408, 'no auth or resume in time');
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.sockets).toHaveLength(3);
    await acceptResume(fake);
    expect(fake.names()).toEqual(['drop', 'recover']);
    fake.link.close();
  });

  it("gives one attempt 4 s, inside the gateway's 5 s authentication limit, then tries again", async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = await liveLink();
    fake.last().drop(1006);
    const slow = fake.last();
    vi.advanceTimersByTime(3_999);
    await flush();
    expect(slow.closedByClient).toBe(false);
    vi.advanceTimersByTime(1);
    await flush();
    expect(slow.closedByClient).toBe(true);
    vi.advanceTimersByTime(250);
    await flush();
    expect(fake.sockets).toHaveLength(3);
    fake.link.close();
  });

  it('ends with NETWORK_LOST when the gateway refuses to resume (4003)', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    fake.last().accept();
    await flush();
    fake.last().drop(4003, 'resume window passed');
    await flush();
    expect(fake.names()).toEqual(['drop', 'fatal']);
    expect(fake.log[1]?.[1]).toMatchObject({ code: 'NETWORK_LOST', phase: 'call', closeCode: 4003 });
    vi.advanceTimersByTime(30_000);
    await flush();
    expect(fake.sockets).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() aborts the attempt in flight and stops resuming', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    const inFlight = fake.last();
    inFlight.accept();
    await flush();
    fake.link.close();
    expect(inFlight.closedByClient).toBe(true);
    inFlight.receive(RESUMED);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(2);
    expect(fake.names()).toEqual(['drop']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retryNow() starts an attempt at once while the link is down, and does nothing otherwise', async () => {
    const fake = await liveLink();
    fake.link.retryNow();
    expect(fake.sockets).toHaveLength(1);

    fake.last().drop(1006);
    fake.last().drop(1006);
    await flush();
    expect(fake.sockets).toHaveLength(2);
    fake.link.retryNow();
    expect(fake.sockets).toHaveLength(3);
    await acceptResume(fake);
    expect(fake.names()).toEqual(['drop', 'recover']);
    fake.link.close();
    expect(vi.getTimerCount()).toBe(0);
    fake.link.retryNow();
    expect(fake.sockets).toHaveLength(3);
  });

  it('retryNow() abandons an attempt held up on a socket opened while offline', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    const held = fake.last();
    vi.advanceTimersByTime(3_000);
    fake.link.retryNow();
    expect(fake.sockets).toHaveLength(3);
    await flush();
    expect(held.closedByClient).toBe(true);
    await acceptResume(fake);
    expect(fake.names()).toEqual(['drop', 'recover']);
    fake.link.close();
  });

  it('ignores 4409 on a socket it already replaced', async () => {
    const fake = await liveLink();
    const old = fake.last();
    vi.advanceTimersByTime(2_501);
    expect(fake.names()).toEqual(['drop']);
    await acceptResume(fake);
    old.drop(4409, 'replaced');
    expect(fake.names()).toEqual(['drop', 'recover']);
    fake.link.close();
  });

  it('a resumed socket that drops again is resumed again', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    await acceptResume(fake);
    fake.last().drop(1001);
    expect(fake.names()).toEqual(['drop', 'recover', 'drop']);
    expect(fake.sockets).toHaveLength(3);
    fake.link.close();
  });
});

describe('leave()', () => {
  it("says bye and resolves with the gateway's summary, with no event", async () => {
    const fake = await liveLink();
    const left = fake.link.leave();
    expect(fake.last().messages().at(-1)).toEqual({ type: 'bye' });
    fake.last().receive(downlinkFrame(1));
    fake.last().receive({ type: 'ended', reason: 'client', callId: 'athos_call_1', durationSec: 12 });
    await expect(left).resolves.toEqual({ reason: 'client', durationSec: 12 });
    expect(fake.link.leave()).toBe(left);
    expect(fake.last().closedByClient).toBe(true);
    expect(fake.log).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves undefined after 1 s without an answer', async () => {
    const fake = await liveLink();
    let summary: unknown = 'pending';
    void fake.link.leave().then((value) => (summary = value));
    vi.advanceTimersByTime(999);
    await flush();
    expect(summary).toBe('pending');
    vi.advanceTimersByTime(1);
    await flush();
    expect(summary).toBeUndefined();
    expect(fake.last().closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves undefined when the gateway just closes', async () => {
    const fake = await liveLink();
    const left = fake.link.leave();
    fake.last().drop(1000);
    await expect(left).resolves.toBeUndefined();
    expect(fake.log).toEqual([]);
  });

  it('while the link is down, stops resuming and resolves undefined', async () => {
    const fake = await liveLink();
    fake.last().drop(1006);
    const attempt = fake.last();
    await expect(fake.link.leave()).resolves.toBeUndefined();
    expect(attempt.closedByClient).toBe(true);
    expect(attempt.sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() during leave() settles it at once', async () => {
    const fake = await liveLink();
    const left = fake.link.leave();
    fake.link.close();
    await expect(left).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('close()', () => {
  it('is immediate and idempotent, and nothing is reported afterwards', async () => {
    const fake = await liveLink();
    const socket = fake.last();
    fake.link.close();
    fake.link.close();
    expect(socket.closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    socket.receive(downlinkFrame(1));
    socket.receive({ type: 'ended', reason: 'client' });
    socket.drop(1006);
    fake.link.retryNow();
    fake.link.sendAudio(new ArrayBuffer(640));
    vi.advanceTimersByTime(60_000);
    expect(fake.log).toEqual([]);
    expect(fake.sockets).toHaveLength(1);
    expect(socket.audio()).toEqual([]);
  });
});

describe('the codec', () => {
  /** A link offering opus on fake WebCodecs, live on opus. */
  async function liveOnOpus() {
    const codecs = fakeWebCodecs({ decodedRate: 16_000 });
    const fake = fakeLink({ offer: ['opus', 'pcm16'], webCodecs: codecs.webCodecs });
    await goLive(fake, { ...LIVE, audio: { ...LIVE.audio, codec: 'opus' } });
    return { ...fake, encoder: codecs.encoders[0]!, decoder: codecs.decoders[0]! };
  }

  /** A downlink frame: `seq`, then an opus packet whose first byte is `value`. */
  function opusFrame(seq: number, value = 50, bytes = 30): ArrayBuffer {
    const buffer = new ArrayBuffer(4 + bytes);
    new DataView(buffer).setUint32(0, seq, true);
    new Uint8Array(buffer, 4).fill(value);
    return buffer;
  }

  /** Each packet sent on the call's last socket: its length and first byte (the fake encoder's sample). */
  const sentPackets = (fake: Awaited<ReturnType<typeof liveOnOpus>>) =>
    fake
      .last()
      .audio()
      .map((packet) => [packet.byteLength, new Uint8Array(packet)[0]]);

  const firstSamples = (fake: { log: Array<[string, unknown]> }) =>
    fake.log.filter(([name]) => name === 'audio').map(([, pcm]) => (pcm as Int16Array)[0]);

  it('offers what the scope runs, in auth and resume, and encodes with the codec live names', async () => {
    const fake = await liveOnOpus();
    expect(fake.sockets[0]?.messages()[0]).toMatchObject({ type: 'auth', protocol: 2, codecs: ['opus', 'pcm16'] });
    fake.link.sendAudio(new Int16Array(320).fill(3).buffer);
    fake.encoder.release();
    expect(sentPackets(fake)).toEqual([[32, 3]]);
    fake.last().drop(1006);
    fake.last().accept();
    await flush();
    expect(fake.last().messages()[0]).toMatchObject({ type: 'resume', codecs: ['opus', 'pcm16'] });
    fake.link.close();
  });

  it('sends not one frame once muted, not even one still being encoded; sends again once unmuted', async () => {
    const fake = await liveOnOpus();
    fake.link.sendAudio(new Int16Array(320).fill(1).buffer);
    fake.link.setMuted(true);
    fake.link.sendAudio(new Int16Array(320).fill(2).buffer);
    fake.encoder.release();
    expect(fake.last().audio()).toEqual([]);
    fake.link.setMuted(false);
    fake.link.sendAudio(new Int16Array(320).fill(3).buffer);
    fake.encoder.release();
    expect(sentPackets(fake)).toEqual([[32, 3]]);
    fake.link.close();
  });

  it('plays each opus frame once, in order, decoded; drops a frame that is no opus packet', async () => {
    const fake = await liveOnOpus();
    fake.last().receive(opusFrame(1, 10));
    fake.last().receive(opusFrame(2, 20));
    fake.last().receive(opusFrame(2, 20));
    fake.last().receive(opusFrame(3, 30, 1276));
    fake.last().receive(new ArrayBuffer(4));
    fake.decoder.release();
    expect(firstSamples(fake)).toEqual([3277, 6554]);
    expect(fake.logger.debug).toHaveBeenCalledWith('ignored a malformed opus frame from the voice gateway');
    fake.link.close();
  });

  it('never plays a frame decoded after a clear or a drop that came after it: barge-in stops at once', async () => {
    const fake = await liveOnOpus();
    fake.last().receive(opusFrame(1));
    fake.last().receive(opusFrame(2));
    fake.last().receive({ type: 'clear', seq: 2 });
    fake.last().receive(opusFrame(3));
    fake.decoder.release();
    expect(fake.names()).toEqual(['clear', 'audio']);
    fake.last().receive(opusFrame(4));
    fake.last().drop(1006);
    fake.decoder.release();
    expect(fake.names()).toEqual(['clear', 'audio', 'drop']);
    fake.link.close();
  });

  it('fails connect() with INTERNAL_ERROR when the gateway chooses a codec that was not offered', async () => {
    const fake = fakeLink({ offer: ['pcm16'] });
    const outcome = fake.link.connect(GATEWAY, new AbortController().signal).catch((error: unknown) => error);
    await flush();
    fake.last().accept();
    await flush();
    fake.last().receive({ ...LIVE, audio: { codec: 'opus' } });
    expect(await outcome).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'connect', message: expect.stringContaining('pcm16') });
    expect(fake.last().closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes a live without audio.codec (a version 1 gateway) as pcm16', async () => {
    const fake = fakeLink({ offer: ['opus', 'pcm16'], webCodecs: fakeWebCodecs().webCodecs });
    await goLive(fake, { ...LIVE, audio: undefined });
    expect(fake.link.codec).toBe('pcm16');
    fake.link.close();
  });

  it('ends the call with INTERNAL_ERROR when the codec fails, and closes it when the call ends', async () => {
    const fake = await liveOnOpus();
    fake.decoder.error(new DOMException('bad packet', 'EncodingError'));
    expect(fake.names()).toEqual(['fatal']);
    expect(fake.log[0]?.[1]).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'call' });
    expect(fake.last().closedByClient).toBe(true);
    const other = await liveOnOpus();
    other.link.close();
    expect([other.encoder.state, other.decoder.state]).toEqual(['closed', 'closed']);
  });
});
