import type { PartContext } from '../browser/PartContext.ts';
import type { Codec } from '../contract/voice.js';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { Redemption } from '../redeem/Redemption.ts';
import type { CallEndSummary, LinkStats, VoiceTransport, VoiceTransportEvents } from '../transport/VoiceTransport.ts';
import { withDeadline } from '../utils/abortable.ts';
import type { ErrorData, RequestFields, Requests, WorkerCommand, WorkerEvent } from './protocol.ts';
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
  /** Removes the `window` listener. */
  readonly #listeners = new AbortController();
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  #nextId = 1;
  /** Why the Worker cannot run the call, once it failed to load. */
  #failure: AthosRoleplayError | undefined;
  #live = false;
  #closed = false;
  #leaving: Promise<CallEndSummary | undefined> | undefined;
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

  async connect(redemption: Redemption, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#failure) throw this.#failure;
    const onAbort = () => this.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const gateway = { url: redemption.connectionUrl, ticket: redemption.connectionTicket };
      this.#codec = await withDeadline(this.#request('connect', { gateway }), { signal });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    this.#live = true;
    this.#context.env.window.addEventListener('online', () => this.retryNow(), { signal: this.#listeners.signal });
  }

  retryNow(): void {
    if (this.#live) this.#post({ type: 'retry' });
  }

  leave(): Promise<CallEndSummary | undefined> {
    this.#leaving ??= withDeadline(this.#request('leave', {}), { ms: LEAVE_ANSWER_MS }).catch(() => undefined);
    return this.#leaving;
  }

  async setMuted(muted: boolean): Promise<void> {
    // A transport that is closed, or whose Worker failed, sends nothing more either.
    await this.#request('mute', { muted }).catch(() => undefined);
  }

  codec(): Codec | undefined {
    return this.#codec;
  }

  /** The link's figures as the Worker last sent them: at most a second old, final once the call is over. */
  stats(): LinkStats {
    return this.#stats;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#live = false;
    this.#listeners.abort();
    this.#settleAll(new Error('The voice transport is closed.'));
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

  /** Asks the Worker's link; settles with its answer. Rejects at once once closed. */
  #request<M extends keyof Requests>(method: M, fields: RequestFields<M>): Promise<Requests[M]['answer']> {
    if (this.#closed) return Promise.reject(new Error('The voice transport is closed.'));
    const id = this.#nextId++;
    const answer = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#post({ type: 'request', id, method, ...fields } as WorkerCommand);
    return answer as Promise<Requests[M]['answer']>;
  }

  #receive(message: WorkerEvent): void {
    if (message.type === 'started') {
      this.#started.releaseUrl();
    } else if (message.type === 'reply') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(toError(message.error));
      else pending?.resolve(message.value);
    } else if (message.type === 'event') {
      if (message.name === 'onFatal') this.#events.onFatal(toError(message.value));
      else (this.#events[message.name] as (value: unknown) => void)(message.value);
    } else if (message.type === 'drain') {
      this.#post({ type: 'drained' });
    } else if (message.type === 'stats') {
      this.#stats = message.stats;
    } else if (message.type === 'log') {
      this.#context.logger[message.level](message.message);
    }
  }

  /** The Worker failed to load, or threw: the call cannot go on. */
  #crashed(event: ErrorEvent): void {
    if (this.#live) {
      this.#settleAll(event);
      this.#events.onFatal(
        new AthosRoleplayError('INTERNAL_ERROR', `The SDK's Worker failed (${event.message}).`, { phase: 'call' }),
      );
      return;
    }
    this.#failure = workerLoadError(this.#context, event.error ?? new Error(event.message));
    this.#settleAll(this.#failure);
  }

  /** Rejects every request still waiting for the Worker's answer. */
  #settleAll(error: unknown): void {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }

  #post(command: WorkerCommand, transfer: Transferable[] = []): void {
    this.#started.worker.postMessage(command, transfer);
  }
}

/** The error the Worker described, as the session reports it. */
function toError({ code, message, phase, closeCode, closeReason, retryable }: ErrorData): AthosRoleplayError {
  return new AthosRoleplayError(code, message, { phase, closeCode, closeReason, retryable });
}
