import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AthosRoleplayError } from '../../../src/errors/AthosRoleplayError.ts';
import type { Redemption } from '../../../src/redeem/Redemption.ts';
import { DEFAULT_RECONNECT_POLICY } from '../../../src/transport/ReconnectPolicy.ts';
import { WorkerVoiceTransport } from '../../../src/worker/WorkerVoiceTransport.ts';
import { fakeWebCodecs } from '../media/fakeWebCodecs.ts';
import { acceptResume, answerAuth, downlinkFrame, fakeNetwork, flush, LIVE, recordingEvents } from '../transport/fakeGateway.ts';
import { type FakePort, fakeWorkerContext } from './fakeWorker.ts';

const REDEMPTION: Redemption = {
  connectionUrl: 'ws://127.0.0.1:8787/v1/voice',
  connectionTicket: 'tkt_secret',
  sessionId: 'ext_1',
  callId: 'athos_call_1',
  persona: { name: 'Dorothy Hale', details: null },
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A transport whose Worker runs in-process on a fake network, with its events and both ends of the audio ports recorded. */
function setup(options: { debug?: boolean; workerUrl?: string; webCodecs?: object } = {}) {
  const network = fakeNetwork();
  const workerSide = fakeWorkerContext(
    { WebSocket: network.WebSocket, webCodecs: options.webCodecs ?? {}, policy: DEFAULT_RECONNECT_POLICY },
    { debug: options.debug ?? false, workerUrl: options.workerUrl },
  );
  const recorded = recordingEvents();
  const transport = new WorkerVoiceTransport(recorded.events, workerSide.context);
  const played: unknown[] = [];
  (transport.playbackPort as unknown as FakePort).onmessage = ({ data }) => void played.push(data);
  const capture = transport.capturePort as unknown as FakePort;
  return { ...network, ...workerSide, ...recorded, transport, played, capture };
}

type Setup = ReturnType<typeof setup>;

/** Connects `fake` and lets the gateway accept it with `live`. */
const goLive = (fake: Setup, live: object = LIVE) =>
  answerAuth(fake, fake.transport.connect(REDEMPTION, new AbortController().signal), live);

/** The types of the messages the Worker posted to the main thread. */
const sentTypes = (fake: Setup) => fake.worker().sent.map((message) => (message as { type: string }).type);

describe('starting', () => {
  it('starts the Worker at once from a Blob URL, hands it its ends of both audio ports, and revokes the URL once it runs', async () => {
    const fake = setup();
    expect(fake.worker().url).toBe('blob:athos-worker');
    const start = fake.worker().received[0] as { type: string; debug: boolean; capture: FakePort; playback: FakePort };
    expect(start).toMatchObject({ type: 'start', debug: false });
    expect(start.capture.peer).toBe(fake.capture);
    expect(start.playback.peer).toBe(fake.transport.playbackPort);
    expect(fake.URL.revokeObjectURL).not.toHaveBeenCalled();
    await flush();
    expect(sentTypes(fake)).toEqual(['started']);
    expect(fake.URL.revokeObjectURL).toHaveBeenCalledWith('blob:athos-worker');
    fake.transport.close();
  });

  it('loads the Worker from workerUrl when the site hosts it', async () => {
    const fake = setup({ workerUrl: '/static/athos-worker.js' });
    expect(fake.worker().url).toBe('/static/athos-worker.js');
    await flush();
    expect(fake.URL.createObjectURL).not.toHaveBeenCalled();
    expect(fake.URL.revokeObjectURL).not.toHaveBeenCalled();
    fake.transport.close();
  });

  it('throws INTERNAL_ERROR naming workerUrl when the browser refuses to start the Worker (a CSP without blob:)', () => {
    const network = fakeNetwork();
    const workerSide = fakeWorkerContext({ WebSocket: network.WebSocket, webCodecs: {}, policy: DEFAULT_RECONNECT_POLICY });
    const refusing = function Worker() {
      throw new DOMException('blocked', 'SecurityError');
    };
    const context = { ...workerSide.context, env: { ...workerSide.env, Worker: refusing as unknown as typeof Worker } };
    const error = (() => {
      try {
        new WorkerVoiceTransport(recordingEvents().events, context);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'connect', message: expect.stringContaining('workerUrl') });
    expect((error as Error).message).toContain('SecurityError');
    expect(workerSide.URL.revokeObjectURL).toHaveBeenCalledWith('blob:athos-worker');
  });

  it('fails connect() with INTERNAL_ERROR naming workerUrl when the Worker script does not load', async () => {
    const fake = setup();
    fake.worker().fail('blocked by CSP');
    await expect(fake.transport.connect(REDEMPTION, new AbortController().signal)).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      phase: 'connect',
      message: expect.stringContaining('workerUrl'),
    });
    const during = setup();
    const outcome = during.transport.connect(REDEMPTION, new AbortController().signal).catch((error: unknown) => error);
    during.worker().fail('blocked by CSP');
    expect(await outcome).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'connect' });
  });
});

describe('connect()', () => {
  it("sends the redemption's URL and ticket, and resolves once the Worker's call is live", async () => {
    const fake = setup();
    await goLive(fake);
    expect(fake.worker().received[1]).toEqual({
      type: 'request',
      id: 1,
      method: 'connect',
      gateway: { url: REDEMPTION.connectionUrl, ticket: 'tkt_secret' },
    });
    expect(fake.sockets[0]?.messages()[0]).toEqual({ type: 'auth', ticket: 'tkt_secret', protocol: 2, codecs: ['pcm16'] });
    expect(sentTypes(fake)).toEqual(['started', 'stats', 'reply']);
    fake.transport.close();
  });

  it('offers opus where the Worker has WebCodecs for it', async () => {
    const fake = setup({ webCodecs: fakeWebCodecs().webCodecs });
    await goLive(fake, { ...LIVE, audio: { codec: 'opus' } });
    expect(fake.sockets[0]?.messages()[0]).toMatchObject({ codecs: ['opus', 'pcm16'] });
    fake.transport.close();
  });

  it('rejects with the same AthosRoleplayError the Worker met, close code and reason kept', async () => {
    const fake = setup();
    const outcome = fake.transport.connect(REDEMPTION, new AbortController().signal).catch((error: unknown) => error);
    await flush();
    fake.last().accept();
    await flush();
    fake.last().drop(4001, 'ticket used');
    const error = await outcome;
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN', phase: 'connect', closeCode: 4001, closeReason: 'ticket used' });
    expect(error).toMatchObject({ retryable: false });
    fake.transport.close();
  });

  it('honours the abort signal: rejects with its reason and closes everything', async () => {
    const fake = setup();
    const controller = new AbortController();
    const outcome = fake.transport.connect(REDEMPTION, controller.signal).catch((error: unknown) => error);
    await flush();
    fake.last().accept();
    await flush();
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    await flush();
    expect(fake.last().closedByClient).toBe(true);
    expect(fake.worker().terminated).toBe(true);
    expect(fake.log).toEqual([]);
  });
});

describe('a live call', () => {
  it('moves audio between the ports and the socket without a frame reaching the main thread', async () => {
    const fake = setup();
    fake.capture.postMessage(new ArrayBuffer(640));
    await flush();
    await goLive(fake);
    expect(fake.last().audio()).toEqual([]);
    const frame = new ArrayBuffer(640);
    fake.capture.postMessage(frame);
    await flush();
    expect(fake.last().audio()).toEqual([frame]);
    fake.last().receive(downlinkFrame(1));
    fake.last().receive(downlinkFrame(2));
    await flush();
    expect(fake.played.map((pcm) => (pcm as Int16Array)[0])).toEqual([1, 2]);
    expect(sentTypes(fake)).toEqual(['started', 'stats', 'reply']);
    fake.transport.close();
  });

  it('setMuted() resolves once the Worker stopped the uplink, and it sends again once unmuted', async () => {
    const fake = setup();
    await goLive(fake);
    const muted = fake.transport.setMuted(true);
    fake.capture.postMessage(new ArrayBuffer(640));
    await muted;
    await flush();
    expect(fake.last().audio()).toEqual([]);
    await fake.transport.setMuted(false);
    const frame = new ArrayBuffer(640);
    fake.capture.postMessage(frame);
    await flush();
    expect(fake.last().audio()).toEqual([frame]);
    fake.transport.close();
    await expect(fake.transport.setMuted(true)).resolves.toBeUndefined();
  });

  it('reports barge-in and clears the playback through its port first', async () => {
    const fake = setup();
    await goLive(fake);
    fake.last().receive(downlinkFrame(1));
    fake.last().receive({ type: 'clear', seq: 1 });
    await flush();
    expect(fake.played.at(-1)).toBe('clear');
    expect(fake.names()).toEqual(['clear']);
    fake.transport.close();
  });

  it('reports a drop with its deadline (the playback cleared) and the recovery; online retries at once', async () => {
    const fake = setup();
    await goLive(fake);
    fake.network.down = true;
    const droppedAt = Date.now();
    fake.last().drop(1006);
    await flush();
    expect(fake.log).toEqual([['drop', droppedAt + 30_000]]);
    expect(fake.played).toEqual(['clear']);
    const attempts = fake.sockets.length;
    fake.network.down = false;
    fake.window.dispatchEvent(new Event('online'));
    await flush();
    expect(fake.sockets).toHaveLength(attempts + 1);
    await acceptResume(fake);
    expect(fake.names()).toEqual(['drop', 'recover']);
    fake.transport.close();
  });

  it('reports NETWORK_LOST, and the end of the call with its summary, as the Worker saw them', async () => {
    const lost = setup();
    await goLive(lost);
    lost.last().drop(4003, 'window passed');
    await flush();
    expect(lost.log[0]?.[0]).toBe('fatal');
    expect(lost.log[0]?.[1]).toBeInstanceOf(AthosRoleplayError);
    expect(lost.log[0]?.[1]).toMatchObject({ code: 'NETWORK_LOST', phase: 'call', closeCode: 4003 });
    lost.transport.close();

    const ended = setup();
    await goLive(ended);
    ended.last().receive({ type: 'ended', reason: 'max_duration', durationSec: 7200 });
    await flush();
    expect(ended.log).toEqual([['end', { reason: 'max_duration', durationSec: 7200 }]]);
    ended.transport.close();
  });

  it('ends the call with INTERNAL_ERROR when the Worker throws mid-call', async () => {
    const fake = setup();
    await goLive(fake);
    fake.worker().fail('Uncaught TypeError: oops');
    expect(fake.names()).toEqual(['fatal']);
    expect(fake.log[0]?.[1]).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'call', message: expect.stringContaining('oops') });
    fake.transport.close();
  });

  it("names the call's codec, and keeps the link's figures as the Worker sends them: every second, and final at the end", async () => {
    const fake = setup();
    expect([fake.transport.kind, fake.transport.codec()]).toEqual(['websocket', undefined]);
    await goLive(fake);
    expect(fake.transport.codec()).toBe('pcm16');
    fake.last().receive(downlinkFrame(1));
    fake.last().receive(downlinkFrame(3));
    await flush();
    expect(fake.transport.stats().lostFrames).toBe(0);
    vi.advanceTimersByTime(1_000);
    await flush();
    expect(fake.transport.stats()).toMatchObject({ lostFrames: 1, bytesReceived: expect.any(Number) });
    const received = fake.transport.stats().bytesReceived;
    fake.last().receive(downlinkFrame(4));
    fake.transport.close();
    await flush();
    expect(fake.transport.stats().bytesReceived).toBe(received + 4 + 640);
  });
});

describe('leave()', () => {
  it("says bye through the Worker and resolves with the gateway's summary", async () => {
    const fake = setup();
    await goLive(fake);
    const left = fake.transport.leave();
    expect(fake.transport.leave()).toBe(left);
    await flush();
    expect(fake.last().messages().at(-1)).toEqual({ type: 'bye' });
    fake.last().receive({ type: 'ended', reason: 'client', durationSec: 12 });
    await expect(left).resolves.toEqual({ reason: 'client', durationSec: 12 });
    expect(fake.log).toEqual([]);
    fake.transport.close();
  });

  it('resolves undefined when the Worker does not answer within 2 s', async () => {
    const fake = setup();
    await goLive(fake);
    fake.worker().hang();
    let summary: unknown = 'pending';
    void fake.transport.leave().then((value) => (summary = value));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(summary).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(summary).toBeUndefined();
    fake.transport.close();
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.worker().terminated).toBe(true);
  });

  it('close() during leave() settles it at once; leave() after close() resolves undefined', async () => {
    const fake = setup();
    await goLive(fake);
    const left = fake.transport.leave();
    fake.transport.close();
    await expect(left).resolves.toBeUndefined();
    const late = setup();
    late.transport.close();
    await expect(late.transport.leave()).resolves.toBeUndefined();
  });
});

describe('close()', () => {
  it('has the Worker release the socket, the codec and both ports, then terminates it; nothing is reported afterwards', async () => {
    const codecs = fakeWebCodecs();
    const fake = setup({ webCodecs: codecs.webCodecs });
    await goLive(fake, { ...LIVE, audio: { codec: 'opus' } });
    const socket = fake.last();
    fake.transport.close();
    fake.transport.close();
    expect(fake.worker().terminated).toBe(false);
    await flush();
    expect(socket.closedByClient).toBe(true);
    expect([codecs.encoders[0]?.state, codecs.decoders[0]?.state]).toEqual(['closed', 'closed']);
    expect(fake.capture.closed).toBe(true);
    expect((fake.transport.playbackPort as unknown as FakePort).closed).toBe(true);
    expect(sentTypes(fake).at(-1)).toBe('closed');
    expect(fake.worker().terminated).toBe(true);
    expect(fake.worker().received.filter((message) => (message as { type: string }).type === 'close')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    socket.drop(1006);
    fake.window.dispatchEvent(new Event('online'));
    await flush();
    expect(fake.log).toEqual([]);
    expect(fake.sockets).toHaveLength(1);
  });

  it('terminates a Worker that does not confirm within 500 ms', async () => {
    const fake = setup();
    await goLive(fake);
    fake.worker().hang();
    fake.transport.close();
    await vi.advanceTimersByTimeAsync(499);
    expect(fake.worker().terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.worker().terminated).toBe(true);
  });

  it('revokes the Blob URL of a Worker that never ran', () => {
    const fake = setup();
    fake.transport.close();
    vi.advanceTimersByTime(500);
    expect(fake.URL.revokeObjectURL).toHaveBeenCalledWith('blob:athos-worker');
  });
});

describe('the debug log', () => {
  it("goes through the main thread's logger, with the ticket and the resume token redacted", async () => {
    const fake = setup({ debug: true });
    await goLive(fake);
    fake.last().receive({ type: 'warning', code: 'tkt_secret and rst_secret' });
    fake.transport.close();
    await flush();
    const lines = JSON.stringify([...fake.logger.debug.mock.calls, ...fake.logger.warn.mock.calls]);
    expect(lines).toContain('the voice gateway warned \\"[redacted] and [redacted]\\"');
    expect(lines).toContain('call stats');
    expect(lines).not.toContain('tkt_secret');
    expect(lines).not.toContain('rst_secret');
  });

  it('is not even sent without debug', async () => {
    const fake = setup();
    await goLive(fake);
    fake.last().receive('{oops');
    fake.transport.close();
    await flush();
    expect(sentTypes(fake)).not.toContain('log');
    expect(fake.logger.debug).not.toHaveBeenCalled();
  });
});
