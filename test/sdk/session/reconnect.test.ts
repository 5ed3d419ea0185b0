import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ATHOS_EVENT_NAMES,
  type AthosEventName,
  type AthosRoleplayCreateOptions,
  AthosRoleplayError,
  RoleplaySession,
} from '../../../src/index.ts';
import { DEFAULT_RECONNECT_POLICY } from '../../../src/transport/ReconnectPolicy.ts';
import { WorkerVoiceTransport } from '../../../src/worker/WorkerVoiceTransport.ts';
import { fakeParts, NO_TALK } from '../fakeParts.ts';
import { downlinkFrame, fakeNetwork, flush, LIVE } from '../transport/fakeGateway.ts';
import { type FakePort, fakeWorkerContext } from '../worker/fakeWorker.ts';

const OPTIONS = { token: 'ast_token', drillKey: 'ma-full-sale' };

function record(session: RoleplaySession) {
  const events: Array<{ name: AthosEventName; payload: unknown }> = [];
  // stateChange has tests of its own (session/state.test.ts).
  for (const name of ATHOS_EVENT_NAMES.filter((event) => event !== 'stateChange')) {
    session.on(name, (payload) => void events.push({ name, payload }));
  }
  return { events, names: () => events.map((event) => event.name) };
}

/** A connected session on fake parts, with its events recorded from `ready` on. */
async function connectedSession() {
  const fake = fakeParts();
  const session = new RoleplaySession(OPTIONS, fake.parts);
  const recorded = record(session);
  await session.connect();
  recorded.events.length = 0;
  const transport = fake.handles.transport;
  if (!transport) throw new Error('no transport');
  return { ...fake, ...recorded, session, transportEvents: transport };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a drop', () => {
  const DEADLINE = 1_700_000_030_000;

  it("reports the transport's deadline with reconnecting; its NETWORK_LOST ends the call, then nothing", async () => {
    const call = await connectedSession();
    call.transportEvents.onDrop(DEADLINE);
    expect(call.events).toEqual([{ name: 'reconnecting', payload: { deadline: DEADLINE } }]);
    expect(call.session.state).toBe('reconnecting');
    vi.advanceTimersByTime(60_000);
    expect(call.names()).toEqual(['reconnecting']);
    expect(call.transport.close).not.toHaveBeenCalled();

    call.transportEvents.onFatal(
      new AthosRoleplayError('NETWORK_LOST', 'The connection dropped and did not recover within 30 seconds.', { phase: 'call' }),
    );
    expect(call.names()).toEqual(['reconnecting', 'error', 'ended']);
    expect(call.events[1]?.payload).toMatchObject({ code: 'NETWORK_LOST', phase: 'call' });
    expect(call.session.state).toBe('ended');
    expect(call.transport.close).toHaveBeenCalled();
    expect(call.microphone.stop).toHaveBeenCalled();
    expect(call.output.stop).toHaveBeenCalled();

    call.transportEvents.onRecover();
    call.transportEvents.onDrop(DEADLINE);
    call.transportEvents.onClear();
    call.transportEvents.onEnd({ reason: 'client', durationSec: 31 });
    call.transportEvents.onFatal(new Error('late') as never);
    expect(call.names()).toEqual(['reconnecting', 'error', 'ended']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('recovers, and a later drop is reported with its own deadline', async () => {
    const call = await connectedSession();
    call.transportEvents.onDrop(DEADLINE);
    call.transportEvents.onRecover();
    call.transportEvents.onDrop(DEADLINE + 40_000);
    expect(call.events).toEqual([
      { name: 'reconnecting', payload: { deadline: DEADLINE } },
      { name: 'reconnected', payload: undefined },
      { name: 'reconnecting', payload: { deadline: DEADLINE + 40_000 } },
    ]);
  });

  it('marks the persona and the rep silent while reconnecting', async () => {
    const call = await connectedSession();
    call.handles.output?.onSpeakingChange(true);
    call.handles.microphone?.onSpeakingChange(true);
    call.transportEvents.onDrop(DEADLINE);
    call.handles.microphone?.onSpeakingChange(true);
    call.handles.output?.onSpeakingChange(true);
    expect(call.events).toEqual([
      { name: 'personaSpeaking', payload: { speaking: true } },
      { name: 'userSpeaking', payload: { speaking: true } },
      { name: 'personaSpeaking', payload: { speaking: false } },
      { name: 'userSpeaking', payload: { speaking: false } },
      { name: 'reconnecting', payload: { deadline: DEADLINE } },
    ]);
    void call.session.disconnect();
  });
});

describe('userSpeaking across a reconnect', () => {
  const DEADLINE = 1_700_000_030_000;

  it('reports a rep still talking once the call recovers', async () => {
    const call = await connectedSession();
    call.handles.microphone?.onSpeakingChange(true);
    call.transportEvents.onDrop(DEADLINE);
    call.transportEvents.onRecover();
    expect(call.events).toEqual([
      { name: 'userSpeaking', payload: { speaking: true } },
      { name: 'userSpeaking', payload: { speaking: false } },
      { name: 'reconnecting', payload: { deadline: DEADLINE } },
      { name: 'reconnected', payload: undefined },
      { name: 'userSpeaking', payload: { speaking: true } },
    ]);
    void call.session.disconnect();
  });

  it('reports the latest state: a rep who started talking while reconnecting, or one who stopped', async () => {
    const started = await connectedSession();
    started.transportEvents.onDrop(DEADLINE);
    started.handles.microphone?.onSpeakingChange(true);
    started.transportEvents.onRecover();
    expect(started.names()).toEqual(['reconnecting', 'reconnected', 'userSpeaking']);
    void started.session.disconnect();

    const stopped = await connectedSession();
    stopped.handles.microphone?.onSpeakingChange(true);
    stopped.transportEvents.onDrop(DEADLINE);
    stopped.handles.microphone?.onSpeakingChange(false);
    stopped.transportEvents.onRecover();
    expect(stopped.names()).toEqual(['userSpeaking', 'userSpeaking', 'reconnecting', 'reconnected']);
    void stopped.session.disconnect();
  });

  it('reports nothing after a recovery while muted', async () => {
    const call = await connectedSession();
    call.handles.microphone?.onSpeakingChange(true);
    await call.session.mute();
    call.transportEvents.onDrop(DEADLINE);
    call.transportEvents.onRecover();
    expect(call.names()).toEqual(['userSpeaking', 'userSpeaking', 'reconnecting', 'reconnected']);
    void call.session.disconnect();
  });
});

describe('barge-in', () => {
  it('reports the persona silent at once when the transport cleared the playback', async () => {
    const call = await connectedSession();
    call.handles.output?.onSpeakingChange(true);
    call.transportEvents.onClear();
    call.handles.output?.onSpeakingChange(false);
    expect(call.events).toEqual([
      { name: 'personaSpeaking', payload: { speaking: true } },
      { name: 'personaSpeaking', payload: { speaking: false } },
    ]);
  });
});

describe('ending', () => {
  it('fires ended exactly once, whatever follows', async () => {
    const call = await connectedSession();
    vi.setSystemTime(Date.now() + 7_200_000);
    call.transportEvents.onEnd({ reason: 'max_duration', durationSec: 7200 });
    call.transportEvents.onEnd({ reason: 'max_duration', durationSec: 7200 });
    call.transportEvents.onFatal(new Error('late') as never);
    await call.session.disconnect();
    expect(call.events).toEqual([
      { name: 'ended', payload: { callId: 'athos_call_fake', durationSec: 7200, reason: 'max_duration', metrics: NO_TALK } },
    ]);
    expect(call.transport.leave).not.toHaveBeenCalled();
  });

  it("takes the gateway's duration only when the call can have lasted that long", async () => {
    for (const [lastedSec, reportedSec, shownSec] of [
      [10, 11, 11],
      [10, 12, 12],
      [10, 13, 10],
      [10, Number.MAX_SAFE_INTEGER, 10],
      [10, undefined, 10],
    ] as const) {
      const call = await connectedSession();
      vi.setSystemTime(Date.now() + lastedSec * 1000);
      call.transportEvents.onEnd({ reason: 'ended_by_athos', durationSec: reportedSec });
      expect(call.events).toEqual([
        {
          name: 'ended',
          payload: { callId: 'athos_call_fake', durationSec: shownSec, reason: 'ended_by_athos', metrics: NO_TALK },
        },
      ]);
    }
  });

  it('disconnect() from inside an ended handler is harmless', async () => {
    const call = await connectedSession();
    const inside: Array<Promise<void>> = [];
    call.session.on('ended', () => void inside.push(call.session.disconnect()));
    call.transportEvents.onEnd({ reason: 'ended_by_athos', durationSec: 5 });
    await Promise.all(inside);
    expect(inside).toHaveLength(1);
    expect(call.names()).toEqual(['ended']);
    expect(call.session.state).toBe('ended');
  });

  it('disconnect() from inside a reconnecting handler ends the call once', async () => {
    const call = await connectedSession();
    call.session.on('reconnecting', () => void call.session.disconnect());
    call.transportEvents.onDrop(Date.now() + 30_000);
    await flush();
    vi.advanceTimersByTime(60_000);
    expect(call.names()).toEqual(['reconnecting', 'ended']);
    expect(call.transport.leave).toHaveBeenCalledTimes(1);
  });
});

describe('connect()', () => {
  it('disconnect() during a pending transport connect cancels it: no ready, no error, connect() settles', async () => {
    const fake = fakeParts();
    let connectSignal: AbortSignal | undefined;
    fake.parts.createTransport = (events) => {
      fake.handles.transport = events;
      return {
        ...fake.transport,
        connect: (_redemption, signal) => {
          connectSignal = signal;
          return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      };
    };
    const session = new RoleplaySession(OPTIONS, fake.parts);
    const { names } = record(session);
    const connecting = session.connect();
    await flush();
    expect(connectSignal?.aborted).toBe(false);
    await session.disconnect();
    expect(connectSignal?.aborted).toBe(true);
    await expect(connecting).resolves.toBeUndefined();
    expect(names()).not.toContain('ready');
    expect(names()).not.toContain('error');
    expect(session.state).toBe('ended');
    expect(fake.microphone.stop).toHaveBeenCalled();
    expect(fake.output.stop).toHaveBeenCalled();
    expect(fake.transport.close).toHaveBeenCalled();
  });

  it('a second connect() rejects with SESSION_ALREADY_CONNECTED and leaves the call alone', async () => {
    const call = await connectedSession();
    await expect(call.session.connect()).rejects.toMatchObject({ code: 'SESSION_ALREADY_CONNECTED' });
    expect(call.names()).toEqual(['error']);
    expect(call.session.state).toBe('connected');
    expect(call.transport.connect).toHaveBeenCalledTimes(1);
  });
});

describe('a session on the Worker transport, its Worker run in-process', () => {
  async function wiredSession(options: AthosRoleplayCreateOptions = OPTIONS) {
    const fake = fakeParts();
    const network = fakeNetwork();
    const workerSide = fakeWorkerContext({ WebSocket: network.WebSocket, webCodecs: {}, policy: DEFAULT_RECONNECT_POLICY });
    fake.parts.env = () => workerSide.env;
    const played: unknown[] = [];
    fake.parts.createTransport = (events, context) => {
      fake.handles.transport = events;
      const transport = new WorkerVoiceTransport(events, context);
      (transport.playbackPort as unknown as FakePort).onmessage = ({ data }) => void played.push(data);
      return transport;
    };
    const session = new RoleplaySession(options, fake.parts);
    const recorded = record(session);
    const connected = session.connect();
    for (let i = 0; i < 5 && network.sockets.length === 0; i++) await flush();
    network.last().accept();
    await flush();
    network.last().receive(LIVE);
    await connected;
    return { ...fake, ...network, ...workerSide, ...recorded, session, played };
  }

  it('with debug on, no line prints the resume token, whatever the gateway sends', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const call = await wiredSession({ ...OPTIONS, debug: true });
    call.last().receive({ type: LIVE.resumeToken });
    call.last().receive({ type: 'warning', code: `code ${LIVE.resumeToken}` });
    await flush();
    const printed = JSON.stringify(debug.mock.calls);
    expect(printed).toContain('[redacted]');
    expect(printed).not.toContain(LIVE.resumeToken);
    debug.mockRestore();
    void call.session.disconnect();
  });

  it('a drop that does not recover ends with NETWORK_LOST at 30 s, and every attempt stops', async () => {
    const call = await wiredSession();
    call.network.down = true;
    call.last().drop(1006);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(call.names()).toEqual(['connecting', 'ready', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.names()).toEqual(['connecting', 'ready', 'reconnecting', 'error', 'ended']);
    const attempts = call.sockets.length;
    expect(attempts).toBeGreaterThan(10);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(call.sockets).toHaveLength(attempts);
    expect(call.names()).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stalled link is detected, resumed, and the persona goes on where she stopped', async () => {
    const call = await wiredSession();
    call.last().receive(downlinkFrame(1));
    await vi.advanceTimersByTimeAsync(2_501);
    expect(call.names()).toEqual(['connecting', 'ready', 'reconnecting']);
    call.last().accept();
    await flush();
    call.last().receive({ type: 'resumed', heartbeatMs: 1000 });
    await flush();
    call.last().receive(downlinkFrame(1));
    call.last().receive(downlinkFrame(2));
    await flush();
    expect(call.names()).toEqual(['connecting', 'ready', 'reconnecting', 'reconnected']);
    const frames = call.played.filter((data): data is Int16Array => data instanceof Int16Array);
    expect(frames.map((pcm) => pcm[0])).toEqual([1, 2]);
    expect(call.played.indexOf('clear')).toBeLessThan(call.played.indexOf(frames[1] as Int16Array));
    void call.session.disconnect();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.names().at(-1)).toBe('ended');
  });

  it('a call ended by the server fires ended with its call id and duration', async () => {
    const call = await wiredSession();
    vi.setSystemTime(Date.now() + 42_000);
    call.last().receive({ type: 'ended', reason: 'ended_by_athos', callId: 'athos_call_fake', durationSec: 42 });
    await flush();
    expect(call.names()).toEqual(['connecting', 'ready', 'ended']);
    expect(call.events[2]?.payload).toEqual({
      callId: 'athos_call_fake',
      durationSec: 42,
      reason: 'ended_by_athos',
      metrics: NO_TALK,
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("disconnect() says bye and ends with the gateway's duration", async () => {
    const call = await wiredSession();
    const socket = call.last();
    vi.setSystemTime(Date.now() + 3_000);
    const leaving = call.session.disconnect();
    await flush();
    expect(socket.messages().at(-1)).toEqual({ type: 'bye' });
    socket.receive({ type: 'ended', reason: 'client', callId: 'athos_call_fake', durationSec: 3 });
    await leaving;
    expect(call.names()).toEqual(['connecting', 'ready', 'ended']);
    expect(call.events[2]?.payload).toEqual({ callId: 'athos_call_fake', durationSec: 3, reason: 'client', metrics: NO_TALK });
    expect(socket.closedByClient).toBe(true);
    await flush();
    expect(call.worker().terminated).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
