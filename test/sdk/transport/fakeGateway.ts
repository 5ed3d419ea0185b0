import { vi } from 'vitest';
import type { BrowserEnv } from '../../../src/browser/BrowserEnv.ts';
import type { PartContext } from '../../../src/browser/PartContext.ts';
import type { Redemption } from '../../../src/redeem/Redemption.ts';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy } from '../../../src/transport/ReconnectPolicy.ts';
import type { VoiceTransportEvents } from '../../../src/transport/VoiceTransport.ts';
import { WebSocketVoiceTransport } from '../../../src/transport/WebSocketVoiceTransport.ts';

/**
 * A WebSocket whose gateway side the test drives: `accept()`, `receive()`, `drop()`. Closing it
 * from the client fires nothing, as the SDK removes its listeners first anyway.
 */
export class FakeSocket extends EventTarget {
  readyState = 0;
  binaryType = 'blob';
  readonly sent: Array<string | ArrayBuffer> = [];
  closedByClient = false;
  /** When the client created it, in `performance.now()` ms. */
  readonly createdAt = performance.now();

  constructor(readonly url: string) {
    super();
  }

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  /** The gateway accepts the connection. */
  accept(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  /** The gateway sends a text frame (objects are JSON-encoded) or a binary frame. */
  receive(data: object | string | ArrayBuffer): void {
    const payload = typeof data === 'string' || data instanceof ArrayBuffer ? data : JSON.stringify(data);
    this.dispatchEvent(Object.assign(new Event('message'), { data: payload }));
  }

  /** The connection closes from the gateway's side (or the network's, with 1006). */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: code !== 1006 }));
  }

  /** The control messages the client sent, parsed. */
  messages(): Array<Record<string, unknown>> {
    return this.sent.filter((data): data is string => typeof data === 'string').map((data) => JSON.parse(data));
  }

  /** The binary frames the client sent. */
  audio(): ArrayBuffer[] {
    return this.sent.filter((data): data is ArrayBuffer => data instanceof ArrayBuffer);
  }
}

/** A downlink frame: `seq` as u32le, then `samples` samples of PCM whose values are `seq`. */
export function downlinkFrame(seq: number, samples = 320): ArrayBuffer {
  const buffer = new ArrayBuffer(4 + samples * 2);
  new DataView(buffer).setUint32(0, seq, true);
  new Int16Array(buffer, 4).fill(seq);
  return buffer;
}

export const REDEMPTION: Redemption = {
  connectionUrl: 'ws://127.0.0.1:8787/v1/voice',
  connectionTicket: 'tkt_secret',
  sessionId: 'ext_1',
  callId: 'athos_call_1',
  persona: { name: 'Dorothy Hale', details: null },
};

export const LIVE = {
  type: 'live',
  callId: 'athos_call_1',
  sessionId: 'ext_1',
  resumeToken: 'rst_secret',
  resumeWindowSec: 30,
  startedAt: '2026-11-22T10:00:00.000Z',
  heartbeatMs: 1000,
  audio: { inputSampleRate: 16000, outputSampleRate: 16000, frameMs: 20 },
};

export const RESUMED = {
  type: 'resumed',
  callId: 'athos_call_1',
  startedAt: '2026-11-22T10:00:00.000Z',
  resumeWindowSec: 30,
  heartbeatMs: 1000,
  audio: LIVE.audio,
};

/**
 * A browser whose WebSockets are {@link FakeSocket}s, recorded in `sockets`. While
 * `network.down` is set, every new socket fails as a refused connection does (1006, a moment
 * after it was created).
 */
export function fakeBrowser() {
  const sockets: FakeSocket[] = [];
  const network = { down: false };
  const window = new EventTarget();
  const WebSocket = vi.fn(function (this: unknown, url: string) {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    if (network.down) queueMicrotask(() => socket.drop(1006));
    return socket;
  });
  const env = { WebSocket, window, URL } as unknown as BrowserEnv;
  const logger = { debug: vi.fn(), warn: vi.fn(), addSecret: vi.fn() };
  const context: PartContext = { env, logger, workletUrl: undefined };
  return { sockets, network, window, env, logger, context, last: () => sockets.at(-1) as FakeSocket };
}

/** Every transport event, recorded in order as `[name, payload]`. */
export function recordingEvents() {
  const log: Array<[string, unknown]> = [];
  const events: VoiceTransportEvents = {
    onAudio: (pcm) => void log.push(['audio', pcm]),
    onClear: () => void log.push(['clear', undefined]),
    onDrop: (deadline) => void log.push(['drop', deadline]),
    onRecover: () => void log.push(['recover', undefined]),
    onEnd: (summary) => void log.push(['end', summary]),
    onFatal: (error) => void log.push(['fatal', error]),
  };
  return { log, events, names: () => log.map(([name]) => name) };
}

/** A transport on a fake browser, with its events recorded. */
export function fakeTransport(redemption: Redemption = REDEMPTION, policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY) {
  const browser = fakeBrowser();
  const recorded = recordingEvents();
  const transport = new WebSocketVoiceTransport(redemption, recorded.events, browser.context, policy);
  return { ...browser, ...recorded, transport };
}

/** A transport whose call is live: the handshake went through on the first socket. */
export async function liveTransport(policy?: ReconnectPolicy) {
  const fake = fakeTransport(REDEMPTION, policy);
  const connected = fake.transport.connect(new AbortController().signal);
  fake.last().accept();
  await flush();
  fake.last().receive(LIVE);
  await connected;
  return fake;
}

/** Lets pending promise callbacks run (with fake timers, nothing else moves time). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
