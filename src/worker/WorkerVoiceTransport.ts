import type { PartContext } from '../browser/PartContext.ts';
import type { Codec } from '../contract/voice.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { Redemption } from '../redeem/Redemption.ts';
import type { CallEndSummary, LinkStats, VoiceTransport, VoiceTransportEvents } from '../transport/VoiceTransport.ts';
import { withDeadline } from '../utils/abortable.ts';
import type { ErrorData, WorkerCommand, WorkerEvent } from './protocol.ts';
import { type StartedWorker, startWorker, workerLoadError } from './startWorker.ts';

/** The Worker answers `leave` within its own 1 s limit; this much covers a Worker that died. */
const LEAVE_ANSWER_MS = 2_000;
/** How long to wait for the Worker to confirm it released everything before terminating it anyway. */
const CLOSE_CONFIRM_MS = 500;

/**
 * The voice connection as the main thread sees it: a Worker (started at once, from the
 * constructor) runs the socket, the codec and the feeding of the playback; this class commands
 * it by messages (`src/worker/protocol.ts`) and turns its answers into the session's events.
 * Only control passes here: the worklets reach the Worker through {@link capturePort} and
 * {@link playbackPort}.
 */
export class WorkerVoiceTransport implements VoiceTransport {
  readonly kind = 'websocket';
  readonly capturePort: MessagePort;
  readonly playbackPort: MessagePort;
  readonly #events: VoiceTransportEvents;
  readonly #context: PartContext;
  readonly #started: StartedWorker;
  /** Removes the `window` listeners. */
  readonly #listeners = new AbortController();
  #connecting: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  /** Why the Worker cannot run the call, once it failed to load or crashed. */
  #failure: AthosRoleplayError | undefined;
  #live = false;
  #closed = false;
  #leaving: Promise<CallEndSummary | undefined> | undefined;
  #settleLeave: ((summary: CallEndSummary | undefined) => void) | undefined;
  #codec: Codec | undefined;
  #stats: LinkStats = { rttMs: undefined, bytesSent: 0, bytesReceived: 0, lostFrames: 0 };

  /**
   * Starts the Worker and hands it its ends of the two audio ports. Throws `INTERNAL_ERROR`
   * (phase `connect`) when the browser refuses to start it.
   */
  constructor(events: VoiceTransportEvents, context: PartContext) {
    this.#events = events;
    this.#context = context;
    const { env } = context;
    this.#started = startWorker(context);
    const capture = new env.MessageChannel();
    const playback = new env.MessageChannel();
    this.capturePort = capture.port2;
    this.playbackPort = playback.port2;
    const { worker } = this.#started;
    worker.onmessage = ({ data }: MessageEvent<WorkerEvent>) => this.#receive(data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crashed(event);
    };
    const ports = [capture.port1, playback.port1] as const;
    this.#post({ type: 'start', capture: ports[0], playback: ports[1], debug: context.debug }, [...ports]);
  }

  connect(redemption: Redemption, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.close();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settled = () => {
        signal.removeEventListener('abort', onAbort);
        this.#connecting = undefined;
      };
      this.#connecting = {
        resolve: () => {
          settled();
          resolve();
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      };
      this.#post({ type: 'connect', url: redemption.connectionUrl, ticket: redemption.connectionTicket });
    });
  }

  retryNow(): void {
    if (this.#live) this.#post({ type: 'retry' });
  }

  leave(): Promise<CallEndSummary | undefined> {
    this.#leaving ??= this.#sayGoodbye();
    return this.#leaving;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#live = false;
    this.#listeners.abort();
    this.#settleLeave?.(undefined);
    this.capturePort.close();
    this.playbackPort.close();
    const { worker } = this.#started;
    const terminate = () => {
      clearTimeout(fallback);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      this.#started.releaseUrl();
    };
    const fallback = setTimeout(terminate, CLOSE_CONFIRM_MS);
    worker.onmessage = ({ data }: MessageEvent<WorkerEvent>) => {
      if (data.type === 'closed') terminate();
      else if (data.type === 'stats') this.#stats = data.stats;
      else if (data.type === 'log') this.#context.logger[data.level](data.message);
    };
    this.#post({ type: 'close' });
  }

  codec(): Codec | undefined {
    return this.#codec;
  }

  /** The link's figures as the Worker last sent them: at most a second old, final once the call is over. */
  stats(): LinkStats {
    return this.#stats;
  }

  async #sayGoodbye(): Promise<CallEndSummary | undefined> {
    if (this.#closed) return undefined;
    const left = new Promise<CallEndSummary | undefined>((resolve) => (this.#settleLeave = resolve));
    this.#post({ type: 'leave' });
    return withDeadline(left, { ms: LEAVE_ANSWER_MS });
  }

  #receive(event: WorkerEvent): void {
    switch (event.type) {
      case 'started':
        this.#started.releaseUrl();
        break;
      case 'live':
        this.#live = true;
        this.#codec = event.codec;
        this.#context.env.window.addEventListener('online', () => this.retryNow(), { signal: this.#listeners.signal });
        this.#connecting?.resolve();
        break;
      case 'connectFailed':
        this.#connecting?.reject(toError(event.error));
        break;
      case 'clear':
        this.#events.onClear();
        break;
      case 'drop':
        this.#events.onDrop(event.deadline);
        break;
      case 'recover':
        this.#events.onRecover();
        break;
      case 'end':
        this.#events.onEnd(event.summary);
        break;
      case 'fatal':
        this.#events.onFatal(toError(event.error));
        break;
      case 'left':
        this.#settleLeave?.(event.summary);
        break;
      case 'stats':
        this.#stats = event.stats;
        break;
      case 'log':
        this.#context.logger[event.level](event.message);
        break;
    }
  }

  /** The Worker failed to load, or threw: the call cannot go on. */
  #crashed(event: ErrorEvent): void {
    this.#settleLeave?.(undefined);
    if (this.#live) {
      this.#events.onFatal(
        new AthosRoleplayError('INTERNAL_ERROR', `The SDK's Worker failed (${event.message}).`, { phase: 'call' }),
      );
      return;
    }
    this.#failure = workerLoadError(this.#context, event.error ?? new Error(event.message));
    this.#connecting?.reject(this.#failure);
  }

  #post(command: WorkerCommand, transfer: Transferable[] = []): void {
    this.#started.worker.postMessage(command, transfer);
  }
}

/** The error the Worker described, as the session reports it. */
function toError({ code, message, phase, closeCode, closeReason, retryable }: ErrorData): AthosRoleplayError {
  return new AthosRoleplayError(code, message, { phase, closeCode, closeReason, retryable });
}
