import { CLOSE, type Codec, PROTOCOL_VERSION } from '../contract/voice.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { toAthosError } from '../errors/toAthosError.ts';
import type { AudioCodec, CodecOutput } from '../media/codec/AudioCodec.ts';
import { withDeadline } from '../utils/abortable.ts';
import { type Logger, quoted } from '../utils/logger.ts';
import { isSecureOrLocal } from '../utils/url.ts';
import { errorForClose, isDropClose } from './closeCodes.ts';
import { type ByteCounters, GatewaySocket } from './GatewaySocket.ts';
import { Heartbeat } from './Heartbeat.ts';
import { type GatewayMessage, parseDownlinkFrame } from './protocol.ts';
import type { ReconnectPolicy } from './ReconnectPolicy.ts';
import { reconnect } from './reconnect.ts';
import type { CallEndSummary, LinkStats, VoiceTransportEvents } from './VoiceTransport.ts';

/** How long the gateway may take to accept the socket of a new call. */
const OPEN_TIMEOUT_MS = 10_000;
/** How long the gateway may take to answer `auth` with `live`. */
const LIVE_TIMEOUT_MS = 10_000;
/** How long `leave()` waits for the gateway's `ended`. */
const LEAVE_TIMEOUT_MS = 1_000;

type LinkState = 'connecting' | 'live' | 'dropped' | 'leaving' | 'closed';

/** What the link reports: the transport's events, and the persona's audio. */
export interface VoiceLinkEvents extends VoiceTransportEvents {
  /** One persona frame (16-bit mono PCM at 16 kHz), each delivered once, in order. */
  onAudio(pcm: Int16Array): void;
}

/** What a {@link VoiceLink} is built from. */
export interface VoiceLinkParts {
  WebSocket: typeof WebSocket;
  /** The codecs to offer, most preferred first; settles once the scope was asked what it runs. */
  offer: Promise<readonly Codec[]>;
  /** Makes the call's codec once `live` named it. */
  createCodec(name: Codec, output: CodecOutput): AudioCodec;
  policy: ReconnectPolicy;
  /** Calls `then` once messages queued behind a busy thread have arrived (see `HeartbeatOptions.drain`). */
  drain(then: () => void): void;
  /** Where the link's debug lines go; it registers the secrets it learns (the resume token) there. */
  logger: Logger;
}

/** Where the call's socket goes and how it authenticates: the redemption's URL and ticket. */
export interface GatewayAddress {
  url: string;
  ticket: string;
}

/**
 * The voice connection over the gateway's WebSocket protocol (`docs/protocol.md`), as the SDK's
 * Worker runs it: the handshake with the codec offer, heartbeats, the call's codec in both
 * directions, resuming the call after a drop as its {@link ReconnectPolicy} says, and leaving.
 */
export class VoiceLink {
  readonly #events: VoiceLinkEvents;
  readonly #parts: VoiceLinkParts;
  readonly #policy: ReconnectPolicy;
  readonly #logger: Logger;
  /** Aborted by `close()`: cancels the handshake. */
  readonly #lifetime = new AbortController();
  #state: LinkState = 'connecting';
  #url = '';
  #offer: readonly Codec[] = [];
  #codec: AudioCodec | undefined;
  /** The live socket, or the one whose handshake is under way. */
  #socket: GatewaySocket | undefined;
  #heartbeat: Heartbeat | undefined;
  #resumeToken = '';
  #lastSeq = 0;
  /** Persona frames up to this `seq` are not delivered: a clear or a drop discarded them. */
  #discardThrough = 0;
  /** When the link dropped, in `Date.now()` ms; the reconnect window counts from here. */
  #droppedAt = 0;
  #resuming: AbortController | undefined;
  #leaving: Promise<CallEndSummary | undefined> | undefined;
  #settleLeave: ((summary: CallEndSummary | undefined) => void) | undefined;
  readonly #bytes: ByteCounters = { sent: 0, received: 0 };
  #rttMs: number | undefined;
  #lostFrames = 0;
  /** While set, not one of the rep's frames is sent, those still being encoded included. */
  #muted = false;

  constructor(events: VoiceLinkEvents, parts: VoiceLinkParts) {
    this.#events = events;
    this.#parts = parts;
    this.#policy = parts.policy;
    this.#logger = parts.logger;
  }

  /** The call's codec, once `live` named it. */
  get codec(): Codec | undefined {
    return this.#codec?.name;
  }

  /** The link's figures so far, every socket of the call included; cheap. */
  get stats(): LinkStats {
    return {
      rttMs: this.#rttMs === undefined ? undefined : Math.round(this.#rttMs),
      bytesSent: this.#bytes.sent,
      bytesReceived: this.#bytes.received,
      lostFrames: this.#lostFrames,
    };
  }

  /**
   * Opens the connection, authenticates with the ticket and the codec offer, and resolves once
   * the call is live. Rejects with an `AthosRoleplayError` of phase `connect`, or with the
   * signal's reason.
   */
  async connect(gateway: GatewayAddress, signal: AbortSignal): Promise<void> {
    this.#url = gatewayUrl(gateway.url);
    signal.throwIfAborted();
    const onAbort = () => this.#shutdown(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const unavailable = (message: string) => (): never => {
      throw new AthosRoleplayError('SERVICE_UNAVAILABLE', message, { phase: 'connect' });
    };
    try {
      this.#offer = await withDeadline(this.#parts.offer, { signal: this.#lifetime.signal });
      const socket = this.#open('connect');
      this.#socket = socket;
      await withDeadline(socket.opened, {
        signal: this.#lifetime.signal,
        ms: OPEN_TIMEOUT_MS,
        onTimeout: unavailable('The voice gateway did not accept the connection within 10 seconds.'),
      });
      socket.send({ type: 'auth', ticket: gateway.ticket, protocol: PROTOCOL_VERSION, codecs: this.#offer });
      const live = await withDeadline(socket.reply('live'), {
        signal: this.#lifetime.signal,
        ms: LIVE_TIMEOUT_MS,
        onTimeout: unavailable('The voice gateway did not start the call within 10 seconds.'),
      });
      this.#resumeToken = live.resumeToken;
      this.#logger.addSecret(live.resumeToken);
      this.#codec = this.#parts.createCodec(this.#chosen(live.codec), {
        onPacket: (packet) => this.#sendPacket(packet),
        onPcm: (pcm, seq) => this.#play(pcm, seq),
        onError: (error) => this.#fail(toAthosError(error, 'call', [])),
      });
      this.#goLive(socket, live.heartbeatMs);
    } catch (error) {
      this.#shutdown();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Encodes and sends one captured frame; dropped unless live (stale speech is never sent) or while muted. */
  sendAudio(frame: ArrayBuffer): void {
    if (this.#sending()) this.#codec?.encode(new Int16Array(frame));
  }

  /**
   * Stops or resumes sending the rep's audio. Takes effect at once: frames captured before a
   * mute but still on their way (in the port, in the encoder) are dropped too.
   */
  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  /** Tries to resume now (the browser said it is back online). */
  retryNow(): void {
    if (this.#state === 'dropped') this.#resume();
  }

  /**
   * Tells the gateway the rep left and closes. Resolves with the gateway's summary when it
   * answers in time. No event follows.
   */
  leave(): Promise<CallEndSummary | undefined> {
    this.#leaving ??= this.#sayGoodbye();
    return this.#leaving;
  }

  /** Closes at once, the codec included, with no event afterwards. Idempotent. */
  close(): void {
    this.#shutdown();
  }

  /** The codec `live` named, which must be one of the offer. */
  #chosen(codec: string): Codec {
    if ((this.#offer as readonly string[]).includes(codec)) return codec as Codec;
    throw new AthosRoleplayError(
      'INTERNAL_ERROR',
      `The voice gateway chose a codec the SDK did not offer (it offered ${this.#offer.join(', ')}).`,
      { phase: 'connect', retryable: false },
    );
  }

  #open(phase: 'connect' | 'call'): GatewaySocket {
    return new GatewaySocket(this.#parts.WebSocket, this.#url, phase, this.#logger, this.#bytes);
  }

  #goLive(socket: GatewaySocket, heartbeatMs: number): void {
    this.#state = 'live';
    this.#socket = socket;
    socket.attach({
      onMessage: (message) => this.#handleMessage(socket, message),
      onFrame: (data) => this.#handleFrame(data),
      onClose: (code, reason) => this.#handleClose(code, reason),
    });
    this.#heartbeat = new Heartbeat({
      intervalMs: heartbeatMs,
      lastHeardAt: () => socket.lastHeardAt,
      ping: (id) => socket.send({ type: 'ping', id, ack: this.#lastSeq }),
      onSilence: () => this.#drop('nothing arrived for 2.5 s'),
      drain: this.#parts.drain,
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
        if (this.#state !== 'live') break;
        this.#discardThrough = this.#lastSeq;
        this.#events.onClear();
        break;
      case 'ended':
        this.#end({ reason: message.reason, durationSec: message.durationSec });
        break;
      case 'warning':
        this.#logger.debug(`the voice gateway warned ${quoted(message.code)}`);
        break;
      default:
        this.#logger.debug(`ignored a '${message.type}' message during the call`);
    }
  }

  #handleFrame(data: ArrayBuffer): void {
    if (this.#state !== 'live' || !this.#codec) return;
    const frame = parseDownlinkFrame(data, this.#codec.name);
    if (!frame) {
      this.#logger.debug(`ignored a malformed ${this.#codec.name} frame from the voice gateway`);
      return;
    }
    if (frame.seq <= this.#lastSeq) {
      this.#logger.debug(`ignored audio frame ${frame.seq}, already received`);
      return;
    }
    this.#lostFrames += frame.seq - this.#lastSeq - 1;
    this.#lastSeq = frame.seq;
    this.#codec.decode(frame.seq, frame.body);
  }

  /** A decoded persona frame: played unless a clear or a drop came since it arrived. */
  #play(pcm: Int16Array, seq: number): void {
    if (this.#state === 'live' && seq > this.#discardThrough) this.#events.onAudio(pcm);
  }

  #sendPacket(packet: ArrayBuffer): void {
    if (this.#sending()) this.#socket?.sendAudio(packet);
  }

  #sending(): boolean {
    return this.#state === 'live' && !this.#muted;
  }

  #handleClose(code: number, reason: string): void {
    if (this.#state === 'leaving') this.#settleLeave?.(undefined);
    else if (isDropClose(code)) this.#drop(`closed with ${code}`);
    // The gateway closes with 1000 right after `ended`; without it, the call is over all the same.
    else if (code === 1000) this.#end({ reason: 'unknown', durationSec: undefined });
    else this.#fail(errorForClose(code, reason, 'call'));
  }

  #drop(why: string): void {
    this.#logger.debug(`the voice connection dropped (${why}); resuming the call`);
    this.#state = 'dropped';
    this.#discardThrough = this.#lastSeq;
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
      logger: this.#logger,
    }).catch((error: unknown) => {
      if (!run.signal.aborted) this.#fail(toAthosError(error, 'call', []));
    });
  }

  async #attemptResume(signal: AbortSignal): Promise<void> {
    const socket = this.#open('call');
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
    socket.send({ type: 'resume', resumeToken: this.#resumeToken, lastSeq: this.#lastSeq, codecs: this.#offer });
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

  /** Releases everything at once: sockets, timers, resume attempts, the codec. */
  #shutdown(reason?: unknown): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#lifetime.abort(reason);
    this.#resuming?.abort();
    this.#heartbeat?.stop();
    this.#socket?.close();
    this.#socket = undefined;
    this.#codec?.close();
  }
}

/** The gateway's URL as given, if it is `wss:` (or plain `ws:` to this computer). */
function gatewayUrl(address: string): string {
  let url: URL | undefined;
  try {
    url = new URL(address);
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

/**
 * A resume attempt that timed out or lost its socket is tried again, and so is one the gateway
 * closed for want of a `resume` in time (the message was stuck in a stalled link); a refusal
 * ends the call.
 */
function isWorthRetrying(error: unknown): boolean {
  const closeCode = AthosRoleplayError.is(error) ? error.closeCode : undefined;
  return closeCode === undefined || closeCode === CLOSE.AUTH_TIMEOUT || isDropClose(closeCode);
}
