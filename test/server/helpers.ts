import WebSocket from 'ws';
import { startAthosServer } from '../../server/index.js';
import { encodeFrames } from '../../server/opus.js';
import type { Codec } from '../../src/contract/voice.js';

export type AthosServer = Awaited<ReturnType<typeof startAthosServer>>;
export type ServerOptions = Parameters<typeof startAthosServer>[0];

export const API = '/api/external/v1';

/** Starts a real server on 127.0.0.1, a random port, with the fault controls on. */
export function startServer(options: ServerOptions = {}): Promise<AthosServer> {
  return startAthosServer({ host: '127.0.0.1', port: 0, faults: true, ...options });
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed, or null when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: the answer of whichever endpoint a test calls; the test's expect() checks its shape.
  json: any;
}

/** One HTTP request to the server; `auth` becomes a Bearer header, `body` JSON. */
export async function request(
  server: AthosServer,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.Authorization = `Bearer ${options.auth}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: ApiResponse['json'] = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; tests look at `text`
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A request to the fault controls (`/__faults` + `path`), with the server's fault secret. */
export function faultRequest(server: AthosServer, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse> {
  return request(server, method, `/__faults${path}`, {
    body,
    headers: { 'X-Athos-Fault-Secret': server.faultSecret ?? '' },
  });
}

export async function mintToken(server: AthosServer, externalUserId = 'rep-1', externalAgencyId?: string): Promise<string> {
  const response = await request(server, 'POST', `${API}/session`, {
    auth: server.apiKey,
    body: { externalUserId, externalAgencyId },
  });
  if (response.status !== 200) throw new Error(`mint failed: ${response.status} ${response.text}`);
  return response.json.token;
}

export function redeem(
  server: AthosServer,
  token: string,
  body: unknown = { drillKey: 'ma-full-sale' },
  headers: Record<string, string> = {},
) {
  return request(server, 'POST', `${API}/roleplay/session`, { auth: token, body, headers });
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `check` until it returns a truthy value. */
export async function waitUntil<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export interface DownlinkFrame {
  seq: number;
  bytes: number;
  at: number;
  /** The frame after its `seq`: PCM16 or an Opus packet. */
  body: Buffer;
}

type AudioFormat = { codec: Codec; inputSampleRate: number; outputSampleRate: number; frameMs: number };

/** What the gateway sends on the control channel (docs/protocol.md). */
export type GatewayMessage =
  | {
      type: 'live';
      callId: string;
      sessionId: string;
      resumeToken: string;
      resumeWindowSec: number;
      startedAt: string;
      heartbeatMs: number;
      audio: AudioFormat;
    }
  | {
      type: 'resumed';
      callId: string;
      startedAt: string;
      resumeWindowSec: number;
      heartbeatMs: number;
      audio: AudioFormat;
    }
  | { type: 'ping'; id: number }
  | { type: 'pong'; id: number }
  | { type: 'clear'; seq: number }
  | { type: 'ended'; reason: string; callId: string; durationSec: number }
  | { type: 'warning'; code: string; message: string };

/** A Node WebSocket client of the voice gateway that records everything it receives. */
export class VoiceClient {
  readonly messages: GatewayMessage[] = [];
  readonly frames: DownlinkFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null = null;
  /** Whether to answer the gateway's pings (a silent client stops). */
  answerPings = true;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.frames.push({ seq: data.readUInt32LE(0), bytes: data.length, at: Date.now(), body: data.subarray(4) });
        return;
      }
      const message: GatewayMessage = JSON.parse(data.toString('utf8'));
      this.messages.push(message);
      if (message.type === 'ping' && this.answerPings) this.send({ type: 'pong', id: message.id });
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => {});
  }

  static open(url: string): Promise<VoiceClient> {
    const ws = new WebSocket(url);
    const client = new VoiceClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendAudio(pcm: Buffer) {
    this.ws.send(pcm, { binary: true });
  }

  /** Sends audio in 20 ms frames, as fast as the socket takes it; as Opus packets on an Opus call. */
  sendSpeech(pcm: Buffer, codec: Codec = 'pcm16') {
    const frames: Buffer[] = [];
    for (let offset = 0; offset < pcm.length; offset += 640) frames.push(pcm.subarray(offset, offset + 640));
    for (const frame of codec === 'opus' ? encodeFrames(frames) : frames) this.sendAudio(frame);
  }

  message<T extends GatewayMessage['type']>(type: T, timeoutMs = 5000): Promise<Extract<GatewayMessage, { type: T }>> {
    return waitUntil(
      () => this.messages.find((m): m is Extract<GatewayMessage, { type: T }> => m.type === type),
      timeoutMs,
      `a "${type}" message`,
    );
  }

  lastSeq(): number {
    return this.frames.reduce((max, frame) => Math.max(max, frame.seq), 0);
  }
}

/**
 * Mints, redeems and authenticates: a live call. `auth` is what `auth` carries beside the
 * ticket: by default a protocol 1 client, which offers no codecs.
 */
export async function joinCall(
  server: AthosServer,
  body: unknown = { drillKey: 'ma-full-sale' },
  token?: string,
  auth: Record<string, unknown> = { protocol: 1 },
) {
  const redemption = await redeem(server, token ?? (await mintToken(server)), body);
  if (redemption.status !== 200) throw new Error(`redeem failed: ${redemption.text}`);
  const client = await VoiceClient.open(redemption.json.connectionUrl);
  client.send({ type: 'auth', ticket: redemption.json.connectionTicket, ...auth });
  const live = await client.message('live');
  return { client, live, session: redemption.json };
}

/** 16 kHz PCM16: a 300 Hz tone loud enough to count as speech. */
export function tone(ms: number, amplitude = 8000): Buffer {
  const samples = (16000 * ms) / 1000;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 300 * i) / 16000)), i * 2);
  return pcm;
}

export function silence(ms: number): Buffer {
  return Buffer.alloc(((16000 * ms) / 1000) * 2);
}
