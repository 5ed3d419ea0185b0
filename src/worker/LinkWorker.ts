import type { Codec } from '../contract/voice.js';
import { toAthosError } from '../errors/toAthosError.ts';
import type { WebCodecs } from '../media/codec/OpusCodec.ts';
import { createCodec, offerCodecs } from '../media/codec/offerCodecs.ts';
import { type CaptureFrame, CLEAR_COMMAND, type PlaybackFeed } from '../media/worklet/protocol.ts';
import type { ReconnectPolicy } from '../transport/ReconnectPolicy.ts';
import { VoiceLink } from '../transport/VoiceLink.ts';
import { type Logger, redactSecrets } from '../utils/logger.ts';
import type { ErrorData, LinkEvent, Request, StartCommand, WorkerCommand, WorkerEvent } from './protocol.ts';

/** How often the Worker sends the link's figures to the main thread while it runs a link. */
const STATS_INTERVAL_MS = 1_000;

/** The side of the Worker's global scope that talks to the main thread. */
export interface WorkerEndpoint {
  postMessage(message: WorkerEvent): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCommand>) => void): void;
}

/** What a {@link LinkWorker} runs the call with: the classes of its scope, and the policy. */
export interface LinkWorkerParts {
  WebSocket: typeof WebSocket;
  webCodecs: WebCodecs;
  policy: ReconnectPolicy;
}

/**
 * The SDK's Worker: runs the call's {@link VoiceLink} as the main thread asks, moves audio
 * between the link and the worklets' ports (frames never visit the main thread), and reports
 * the link's events back. Its codec offer is worked out as soon as it starts.
 */
export class LinkWorker {
  readonly #endpoint: WorkerEndpoint;
  readonly #parts: LinkWorkerParts;
  readonly #offer: Promise<readonly Codec[]>;
  readonly #secrets: string[] = [];
  /** Aborted by `close`: cancels a handshake under way. */
  readonly #lifetime = new AbortController();
  #link: VoiceLink | undefined;
  #ports: MessagePort[] = [];
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  /** What waits for the main thread's `drained`. */
  #draining: Array<() => void> = [];
  #debug = false;
  /** Posts each line to the main thread's logger, secrets removed, when `debug` is on. */
  readonly #log: Logger = {
    debug: (message, ...details) => this.#write('debug', message, details),
    warn: (message, ...details) => this.#write('warn', message, details),
    addSecret: (secret) => {
      if (secret && !this.#secrets.includes(secret)) this.#secrets.push(secret);
    },
  };

  constructor(endpoint: WorkerEndpoint, parts: LinkWorkerParts) {
    this.#endpoint = endpoint;
    this.#parts = parts;
    this.#offer = offerCodecs(parts.webCodecs);
    endpoint.addEventListener('message', ({ data }) => this.#command(data));
    endpoint.postMessage({ type: 'started' });
  }

  #command(command: WorkerCommand): void {
    if (command.type === 'start') this.#start(command);
    else if (command.type === 'request') this.#answer(command);
    else if (command.type === 'retry') this.#link?.retryNow();
    else if (command.type === 'drained') for (const then of this.#draining.splice(0)) then();
    else this.#close();
  }

  #start({ capture, playback, debug }: StartCommand): void {
    if (this.#link) return;
    this.#ports = [capture, playback];
    this.#debug = debug;
    const play = (feed: PlaybackFeed, transfer: Transferable[] = []) => playback.postMessage(feed, transfer);
    const report = (event: Omit<LinkEvent, 'type'>) => this.#post({ type: 'event', ...event } as LinkEvent);
    const { webCodecs } = this.#parts;
    const link = new VoiceLink(
      {
        onAudio: (pcm) => play(pcm, [pcm.buffer]),
        onClear: () => {
          play(CLEAR_COMMAND);
          report({ name: 'onClear', value: undefined });
        },
        onDrop: (deadline) => {
          play(CLEAR_COMMAND);
          report({ name: 'onDrop', value: deadline });
        },
        onRecover: () => report({ name: 'onRecover', value: undefined }),
        onEnd: (summary) => report({ name: 'onEnd', value: summary }),
        onFatal: (error) => report({ name: 'onFatal', value: this.#errorData(error, 'call') }),
      },
      {
        WebSocket: this.#parts.WebSocket,
        offer: this.#offer,
        createCodec: (name, output) => createCodec(name, webCodecs, output),
        policy: this.#parts.policy,
        drain: (then) => {
          this.#draining.push(then);
          if (this.#draining.length === 1) this.#endpoint.postMessage({ type: 'drain' });
        },
        logger: this.#log,
      },
    );
    this.#link = link;
    capture.onmessage = ({ data }: MessageEvent<CaptureFrame>) => link.sendAudio(data);
    this.#statsTimer = setInterval(() => this.#postStats(), STATS_INTERVAL_MS);
  }

  #answer(request: Request): void {
    const link = this.#link;
    if (!link) return;
    let answer: Promise<unknown>;
    if (request.method === 'connect') {
      this.#log.addSecret(request.gateway.ticket);
      answer = link.connect(request.gateway, this.#lifetime.signal).then(() => link.codec);
    } else if (request.method === 'mute') {
      link.setMuted(request.muted);
      answer = Promise.resolve(undefined);
    } else {
      answer = link.leave();
    }
    const { id } = request;
    answer.then(
      (value) => this.#post({ type: 'reply', id, value }),
      (error: unknown) => this.#post({ type: 'reply', id, error: this.#errorData(error, 'connect') }),
    );
  }

  #close(): void {
    clearInterval(this.#statsTimer);
    this.#lifetime.abort();
    const link = this.#link;
    link?.close();
    if (link) this.#log.debug('call stats', link.stats);
    for (const port of this.#ports) port.close();
    this.#post({ type: 'closed' });
  }

  /** Posts `event`, after the link's figures as they are now. */
  #post(event: WorkerEvent): void {
    this.#postStats();
    this.#endpoint.postMessage(event);
  }

  #postStats(): void {
    if (this.#link) this.#endpoint.postMessage({ type: 'stats', stats: this.#link.stats });
  }

  #write(level: 'debug' | 'warn', message: string, details: unknown[]): void {
    if (!this.#debug) return;
    const line = [message, ...details.map(describe)].join(' ');
    this.#endpoint.postMessage({ type: 'log', level, message: redactSecrets(line, this.#secrets) });
  }

  /** What crosses to the main thread of an error: an `AthosRoleplayError`'s fields, secrets removed. */
  #errorData(error: unknown, phase: 'connect' | 'call'): ErrorData {
    const { code, message, closeCode, closeReason, retryable, phase: errorPhase } = toAthosError(error, phase, this.#secrets);
    return { code, message, phase: errorPhase, closeCode, closeReason, retryable };
  }
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return `${detail.name}: ${detail.message}`;
  return typeof detail === 'object' ? JSON.stringify(detail) : String(detail);
}
