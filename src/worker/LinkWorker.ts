import type { Codec } from '../contract/voice.js';
import { toAthosError } from '../errors/toAthosError.ts';
import type { WebCodecs } from '../media/codec/OpusCodec.ts';
import { createCodec, offerCodecs } from '../media/codec/offerCodecs.ts';
import { type CaptureFrame, CLEAR_COMMAND, type PlaybackFeed } from '../media/worklet/protocol.ts';
import type { ReconnectPolicy } from '../transport/ReconnectPolicy.ts';
import { VoiceLink } from '../transport/VoiceLink.ts';
import { type Logger, redactSecrets } from '../utils/logger.ts';
import type { ErrorData, StartCommand, WorkerCommand, WorkerEvent } from './protocol.ts';

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
 * The SDK's Worker: runs the call's {@link VoiceLink} as the main thread commands, moves audio
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
    const link = this.#link;
    switch (command.type) {
      case 'start':
        this.#start(command);
        break;
      case 'connect':
        this.#log.addSecret(command.ticket);
        link?.connect({ url: command.url, ticket: command.ticket }, this.#lifetime.signal).then(
          () => this.#post({ type: 'live', codec: link.codec ?? 'pcm16' }),
          (error: unknown) => this.#post({ type: 'connectFailed', error: this.#errorData(error, 'connect') }),
        );
        break;
      case 'retry':
        link?.retryNow();
        break;
      case 'leave':
        void link?.leave().then((summary) => this.#post({ type: 'left', summary }));
        break;
      case 'close':
        this.#close();
        break;
    }
  }

  #start({ capture, playback, debug }: StartCommand): void {
    if (this.#link) return;
    this.#ports = [capture, playback];
    this.#debug = debug;
    const play = (feed: PlaybackFeed, transfer: Transferable[] = []) => playback.postMessage(feed, transfer);
    const { webCodecs } = this.#parts;
    const link = new VoiceLink(
      {
        onAudio: (pcm) => play(pcm, [pcm.buffer]),
        onClear: () => {
          play(CLEAR_COMMAND);
          this.#post({ type: 'clear' });
        },
        onDrop: (deadline) => {
          play(CLEAR_COMMAND);
          this.#post({ type: 'drop', deadline });
        },
        onRecover: () => this.#post({ type: 'recover' }),
        onEnd: (summary) => this.#post({ type: 'end', summary }),
        onFatal: (error) => this.#post({ type: 'fatal', error: this.#errorData(error, 'call') }),
      },
      {
        WebSocket: this.#parts.WebSocket,
        offer: this.#offer,
        createCodec: (name, output) => createCodec(name, webCodecs, output),
        policy: this.#parts.policy,
        logger: this.#log,
      },
    );
    this.#link = link;
    capture.onmessage = ({ data }: MessageEvent<CaptureFrame>) => link.sendAudio(data);
    this.#statsTimer = setInterval(() => this.#postStats(), STATS_INTERVAL_MS);
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

  #write(level: 'debug' | 'warn', message: string, details: unknown[]): void {
    if (!this.#debug) return;
    const line = [message, ...details.map(describe)].join(' ');
    this.#post({ type: 'log', level, message: redactSecrets(line, this.#secrets) });
  }

  #post(event: WorkerEvent): void {
    // The main thread's copy of the figures is final when the call is over.
    if (event.type === 'end' || event.type === 'fatal' || event.type === 'left' || event.type === 'closed') this.#postStats();
    this.#endpoint.postMessage(event);
  }

  #postStats(): void {
    if (this.#link) this.#endpoint.postMessage({ type: 'stats', stats: this.#link.stats });
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
