import { vi } from 'vitest';
import type { Codec } from '../../../src/contract/voice.js';
import type { WebCodecs } from '../../../src/media/codec/OpusCodec.ts';
import { createCodec } from '../../../src/media/codec/offerCodecs.ts';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy } from '../../../src/transport/ReconnectPolicy.ts';
import { type GatewayAddress, VoiceLink, type VoiceLinkEvents } from '../../../src/transport/VoiceLink.ts';

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

export const GATEWAY: GatewayAddress = { url: 'ws://127.0.0.1:8787/v1/voice', ticket: 'tkt_secret' };

export const LIVE = {
  type: 'live',
  callId: 'athos_call_1',
  sessionId: 'ext_1',
  resumeToken: 'rst_secret',
  resumeWindowSec: 30,
  startedAt: '2026-11-22T10:00:00.000Z',
  heartbeatMs: 1000,
  audio: { codec: 'pcm16', inputSampleRate: 16000, outputSampleRate: 16000, frameMs: 20 },
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
 * A network whose WebSockets are {@link FakeSocket}s, recorded in `sockets`. While
 * `network.down` is set, every new socket fails as a refused connection does (1006, a moment
 * after it was created).
 */
export function fakeNetwork() {
  const sockets: FakeSocket[] = [];
  const network = { down: false };
  const WebSocket = vi.fn(function (this: unknown, url: string) {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    if (network.down) queueMicrotask(() => socket.drop(1006));
    return socket;
  }) as unknown as typeof globalThis.WebSocket;
  const logger = { debug: vi.fn(), warn: vi.fn(), addSecret: vi.fn() };
  return { sockets, network, WebSocket, logger, last: () => sockets.at(-1) as FakeSocket };
}

/** Every link event, recorded in order as `[name, payload]`. */
export function recordingEvents() {
  const log: Array<[string, unknown]> = [];
  const events: VoiceLinkEvents = {
    onAudio: (pcm) => void log.push(['audio', pcm]),
    onClear: () => void log.push(['clear', undefined]),
    onDrop: (deadline) => void log.push(['drop', deadline]),
    onRecover: () => void log.push(['recover', undefined]),
    onEnd: (summary) => void log.push(['end', summary]),
    onFatal: (error) => void log.push(['fatal', error]),
  };
  return { log, events, names: () => log.map(([name]) => name) };
}

/** What a fake link is made of: its offer, the WebCodecs it may use, its policy. */
export interface FakeLinkOptions {
  offer?: readonly Codec[];
  webCodecs?: WebCodecs;
  policy?: ReconnectPolicy;
}

/** A link on a fake network, with its events recorded; it offers `pcm16` unless told otherwise. */
export function fakeLink({ offer = ['pcm16'], webCodecs = {}, policy = DEFAULT_RECONNECT_POLICY }: FakeLinkOptions = {}) {
  const network = fakeNetwork();
  const recorded = recordingEvents();
  const link = new VoiceLink(recorded.events, {
    WebSocket: network.WebSocket,
    offer: Promise.resolve(offer),
    createCodec: (name, output) => createCodec(name, webCodecs, output),
    policy,
    drain: (then) => setTimeout(then, 0),
    logger: network.logger,
  });
  return { ...network, ...recorded, link };
}

/** Lets the newest socket of `network` open and answers its `auth` with `live`; resolves once `connected` does. */
export async function answerAuth(
  network: { last(): FakeSocket },
  connected: Promise<unknown>,
  live: object = LIVE,
): Promise<void> {
  await flush();
  network.last().accept();
  await flush();
  network.last().receive(live);
  await connected;
}

/** Connects `fake`'s link: opens the first socket, accepts it, and answers `auth` with `live`. */
export function goLive(fake: ReturnType<typeof fakeLink>, live: object = LIVE): Promise<void> {
  return answerAuth(fake, fake.link.connect(GATEWAY, new AbortController().signal), live);
}

/** Lets `fake`'s newest socket open and answers its `resume` with `resumed`. */
export async function acceptResume(fake: { last(): FakeSocket }): Promise<void> {
  fake.last().accept();
  await flush();
  fake.last().receive(RESUMED);
  await flush();
}

/** A link whose call is live on `pcm16`: the handshake went through on the first socket. */
export async function liveLink(policy?: ReconnectPolicy) {
  const fake = fakeLink({ policy });
  await goLive(fake);
  return fake;
}

/**
 * Lets pending promise callbacks and in-process messages run (with fake timers, nothing else
 * moves time).
 */
export async function flush(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}
