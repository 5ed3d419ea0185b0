import type { PartContext } from '../browser/PartContext.ts';
import { CLOSE, PROTOCOL_VERSION } from '../contract/voice.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { toAthosError } from '../errors/toAthosError.ts';
import type { Redemption } from '../redeem/Redemption.ts';
import { withDeadline } from '../utils/abortable.ts';
import { quoted } from '../utils/logger.ts';
import { isSecureOrLocal } from '../utils/url.ts';
import { errorForClose, isDropClose } from './closeCodes.ts';
import { type ByteCounters, GatewaySocket } from './GatewaySocket.ts';
import { Heartbeat } from './Heartbeat.ts';
import type { DownlinkFrame, GatewayMessage } from './protocol.ts';
import type { ReconnectPolicy } from './ReconnectPolicy.ts';
import { reconnect } from './reconnect.ts';
import type { AudioCodec, CallEndSummary, LinkStats, VoiceTransport, VoiceTransportEvents } from './VoiceTransport.ts';

/** How long the gateway may take to accept the socket of a new call. */
const OPEN_TIMEOUT_MS = 10_000;
/** How long the gateway may take to answer `auth` with `live`. */
const LIVE_TIMEOUT_MS = 10_000;
/** How long `leave()` waits for the gateway's `ended`. */
const LEAVE_TIMEOUT_MS = 1_000;

type TransportState = 'connecting' | 'live' | 'dropped' | 'leaving' | 'closed';

/**
 * The voice connection over the gateway's WebSocket protocol (`docs/protocol.md`): the
 * handshake, heartbeats, resuming the call after a drop as its {@link ReconnectPolicy} says,
 * and leaving.
 */
export class WebSocketVoiceTransport implements VoiceTransport {
  readonly kind = 'websocket';
  readonly #redemption: Redemption;
  readonly #events: VoiceTransportEvents;
  readonly #context: PartContext;
  readonly #policy: ReconnectPolicy;
  /** Aborted by `close()`: cancels the handshake and removes the `window` listeners. */
  readonly #lifetime = new AbortController();
  #state: TransportState = 'connecting';
  #url = '';
  /** The live socket, or the one whose handshake is under way. */
  #socket: GatewaySocket | undefined;
  #heartbeat: Heartbeat | undefined;
  #resumeToken = '';
  #lastSeq = 0;
  #codec: AudioCodec | undefined;
  readonly #bytes: ByteCounters = { sent: 0, received: 0 };
  #rttMs: number | undefined;
  #lostFrames = 0;
  /** When the link dropped, in `Date.now()` ms; the reconnect window counts from here. */
  #droppedAt = 0;
  #resuming: AbortController | undefined;
  #leaving: Promise<CallEndSummary | undefined> | undefined;
  #settleLeave: ((summary: CallEndSummary | undefined) => void) | undefined;

  constructor(redemption: Redemption, events: VoiceTransportEvents, context: PartContext, policy: ReconnectPolicy) {
    this.#redemption = redemption;
    this.#events = events;
    this.#context = context;
    this.#policy = policy;
  }

  async connect(signal: AbortSignal): Promise<void> {
    this.#url = this.#gatewayUrl();
    signal.throwIfAborted();
    const onAbort = () => this.#shutdown(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const unavailable = (message: string) => (): never => {
      throw new AthosRoleplayError('SERVICE_UNAVAILABLE', message, { phase: 'connect' });
    };
    try {
      const socket = this.#open(this.#url, 'connect');
      this.#socket = socket;
      await withDeadline(socket.opened, {
        signal: this.#lifetime.signal,
        ms: OPEN_TIMEOUT_MS,
        onTimeout: unavailable('The voice gateway did not accept the connection within 10 seconds.'),
      });
      socket.send({ type: 'auth', ticket: this.#redemption.connectionTicket, protocol: PROTOCOL_VERSION });
      const live = await withDeadline(socket.reply('live'), {
        signal: this.#lifetime.signal,
        ms: LIVE_TIMEOUT_MS,
        onTimeout: unavailable('The voice gateway did not start the call within 10 seconds.'),
      });
      this.#resumeToken = live.resumeToken;
      this.#context.logger.addSecret(live.resumeToken);
      this.#goLive(socket, live.heartbeatMs);
      this.#listenToBrowser();
    } catch (error) {
      this.#shutdown();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  sendAudio(frame: ArrayBuffer): void {
    if (this.#state === 'live') this.#socket?.sendAudio(frame);
  }

  /** `pcm16`: the only codec of protocol version 1. */
  codec(): AudioCodec | undefined {
    return this.#codec;
  }

  stats(): LinkStats {
    return {
      rttMs: this.#rttMs === undefined ? undefined : Math.round(this.#rttMs),
      bytesSent: this.#bytes.sent,
      bytesReceived: this.#bytes.received,
      lostFrames: this.#lostFrames,
    };
  }

  retryNow(): void {
    if (this.#state === 'dropped') this.#resume();
  }

  leave(): Promise<CallEndSummary | undefined> {
    this.#leaving ??= this.#sayGoodbye();
    return this.#leaving;
  }

  close(): void {
    this.#shutdown();
  }

  #gatewayUrl(): string {
    let url: URL | undefined;
    try {
      url = new this.#context.env.URL(this.#redemption.connectionUrl);
    } catch {
      url = undefined;
    }
    if (!url || !isSecureOrLocal(url, 'wss:', 'ws:')) {
      throw new AthosRoleplayError('INTERNAL_ERROR', 'The voice gateway URL must be a wss: URL (plain ws: only for localhost).', {
        phase: 'connect',
        retryable: false,
      });
    }
    return url.href;
  }

  #open(url: string, phase: 'connect' | 'call'): GatewaySocket {
    return new GatewaySocket(this.#context.env.WebSocket, url, phase, this.#context.logger, this.#bytes);
  }

  #listenToBrowser(): void {
    const { window } = this.#context.env;
    const { signal } = this.#lifetime;
    window.addEventListener('online', () => this.retryNow(), { signal });
    // Only a hint: the heartbeat decides whether the link is dead.
    window.addEventListener('offline', () => this.#context.logger.debug('the browser reports offline'), { signal });
  }

  #goLive(socket: GatewaySocket, heartbeatMs: number): void {
    this.#state = 'live';
    this.#codec = 'pcm16';
    this.#socket = socket;
    socket.attach({
      onMessage: (message) => this.#handleMessage(socket, message),
      onFrame: (frame) => this.#handleFrame(frame),
      onClose: (code, reason) => this.#handleClose(code, reason),
    });
    this.#heartbeat = new Heartbeat({
      intervalMs: heartbeatMs,
      lastHeardAt: () => socket.lastHeardAt,
      ping: (id) => socket.send({ type: 'ping', id, ack: this.#lastSeq }),
      onSilence: () => this.#drop('nothing arrived for 2.5 s'),
    });
  }

  #handleMessage(socket: GatewaySocket, message: GatewayMessage): void {
    switch (message.type) {
      case 'ping':
        socket.send({ type: 'pong', id: message.id });
        break;
      case 'pong':
        this.#rttMs = this.#heartbeat?.pong(message.id) ?? this.#rttMs;
        break;
      case 'clear':
        if (this.#state === 'live') this.#events.onClear();
        break;
      case 'ended':
        this.#end({ reason: message.reason, durationSec: message.durationSec });
        break;
      case 'warning':
        this.#context.logger.debug(`the voice gateway warned ${quoted(message.code)}`);
        break;
      default:
        this.#context.logger.debug(`ignored a '${message.type}' message during the call`);
    }
  }

  #handleFrame(frame: DownlinkFrame): void {
    if (this.#state !== 'live') return;
    if (frame.seq <= this.#lastSeq) {
      this.#context.logger.debug(`ignored audio frame ${frame.seq}, already received`);
      return;
    }
    this.#lostFrames += frame.seq - this.#lastSeq - 1;
    this.#lastSeq = frame.seq;
    this.#events.onAudio(frame.pcm);
  }

  #handleClose(code: number, reason: string): void {
    if (this.#state === 'leaving') this.#settleLeave?.(undefined);
    else if (isDropClose(code)) this.#drop(`closed with ${code}`);
    // The gateway closes with 1000 right after `ended`; without it, the call is over all the same.
    else if (code === 1000) this.#end({ reason: 'unknown', durationSec: undefined });
    else this.#fail(errorForClose(code, reason, 'call'));
  }

  #drop(why: string): void {
    this.#context.logger.debug(`the voice connection dropped (${why}); resuming the call`);
    this.#state = 'dropped';
    this.#heartbeat?.stop();
    this.#socket?.close();
    this.#socket = undefined;
    this.#droppedAt = Date.now();
    this.#events.onDrop(this.#droppedAt + this.#policy.windowMs);
    this.#resume();
  }

  /**
   * Starts resuming the call, or starts over with an attempt at once; not once it is closed.
   * Starting over abandons the attempt under way (its socket may hang, opened while offline)
   * but keeps the window, which counts from the drop.
   */
  #resume(): void {
    if (this.#state !== 'dropped') return;
    this.#resuming?.abort();
    const run = new AbortController();
    this.#resuming = run;
    reconnect({
      policy: this.#policy,
      droppedAt: this.#droppedAt,
      attempt: (signal) => this.#attemptResume(signal),
      isRetryable: isWorthRetrying,
      signal: run.signal,
      logger: this.#context.logger,
    }).catch((error: unknown) => {
      if (!run.signal.aborted) this.#fail(toAthosError(error, 'call', []));
    });
  }

  async #attemptResume(signal: AbortSignal): Promise<void> {
    const socket = this.#open(this.#url, 'call');
    this.#socket = socket;
    let heartbeatMs: number;
    try {
      heartbeatMs = await withDeadline(this.#requestResume(socket), { signal });
    } catch (error) {
      socket.close();
      throw error;
    }
    this.#goLive(socket, heartbeatMs);
    this.#events.onRecover();
  }

  async #requestResume(socket: GatewaySocket): Promise<number> {
    await socket.opened;
    socket.send({ type: 'resume', resumeToken: this.#resumeToken, lastSeq: this.#lastSeq });
    return (await socket.reply('resumed')).heartbeatMs;
  }

  #end(summary: CallEndSummary): void {
    if (this.#state === 'leaving') {
      this.#settleLeave?.(summary);
      return;
    }
    this.#shutdown();
    this.#events.onEnd(summary);
  }

  #fail(error: AthosRoleplayError): void {
    this.#shutdown();
    this.#events.onFatal(error);
  }

  async #sayGoodbye(): Promise<CallEndSummary | undefined> {
    const socket = this.#state === 'live' ? this.#socket : undefined;
    if (!socket) {
      this.#shutdown();
      return undefined;
    }
    this.#state = 'leaving';
    this.#heartbeat?.stop();
    const ended = new Promise<CallEndSummary | undefined>((resolve) => (this.#settleLeave = resolve));
    socket.send({ type: 'bye' });
    const summary = await withDeadline(ended, { signal: this.#lifetime.signal, ms: LEAVE_TIMEOUT_MS }).catch(() => undefined);
    this.#shutdown();
    return summary;
  }

  /** Releases everything at once: sockets, timers, resume attempts, `window` listeners. */
  #shutdown(reason?: unknown): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#lifetime.abort(reason);
    this.#resuming?.abort();
    this.#heartbeat?.stop();
    this.#socket?.close();
    this.#socket = undefined;
  }
}

/**
 * A resume attempt that timed out or lost its socket is tried again, and so is one the gateway
 * closed for want of a `resume` in time (the message was stuck in a stalled link); a refusal
 * ends the call.
 */
function isWorthRetrying(error: unknown): boolean {
  const closeCode = AthosRoleplayError.is(error) ? error.closeCode : undefined;
  return closeCode === undefined || closeCode === CLOSE.AUTH_TIMEOUT || isDropClose(closeCode);
}
