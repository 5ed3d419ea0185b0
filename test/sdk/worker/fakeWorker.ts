import { vi } from 'vitest';
import type { BrowserEnv } from '../../../src/browser/BrowserEnv.ts';
import type { PartContext } from '../../../src/browser/PartContext.ts';
import { LinkWorker, type LinkWorkerParts } from '../../../src/worker/LinkWorker.ts';

/**
 * One end of an in-process message channel: what is posted arrives at the other end in a
 * microtask, in order, as a `message` event (to `onmessage` and listeners alike). Closing
 * either end stops delivery both ways, as closing a `MessagePort` does. Nothing is cloned.
 */
export class FakePort extends EventTarget {
  peer: FakePort | undefined;
  closed = false;
  /** Everything posted on this end, with its transfer list. */
  readonly posted: Array<{ data: unknown; transfer: unknown[] }> = [];
  #handler: ((event: MessageEvent) => void) | null = null;

  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#handler;
  }

  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    if (this.#handler) this.removeEventListener('message', this.#handler as EventListener);
    this.#handler = handler;
    if (handler) this.addEventListener('message', handler as EventListener);
  }

  postMessage(data: unknown, transfer: unknown[] = []): void {
    this.posted.push({ data, transfer });
    const peer = this.peer;
    if (this.closed || !peer) return;
    queueMicrotask(() => {
      if (!peer.closed) peer.dispatchEvent(new MessageEvent('message', { data }));
    });
  }

  close(): void {
    this.closed = true;
    if (this.peer) this.peer.closed = true;
  }

  start(): void {}
}

/** Two linked {@link FakePort}s. */
export class FakeMessageChannel {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

/** A Worker that runs a {@link LinkWorker} in-process, as the SDK's Worker script does. */
export interface FakeWorker {
  readonly url: string;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminated: boolean;
  /** What the main thread posted to the Worker. */
  readonly received: unknown[];
  /** Everything the Worker posted to the main thread. */
  readonly sent: unknown[];
  /** Fires the Worker's `error` event, as a script that failed to load (or threw) does. */
  fail(message: string): void;
  /** From now on the Worker gets nothing the main thread posts, as a Worker stuck in a loop. */
  hang(): void;
}

/**
 * A `Worker` class whose instances run a {@link LinkWorker} with `parts` in this thread, linked
 * by {@link FakePort}s; every instance is recorded in `workers`.
 */
export function fakeWorkerClass(parts: LinkWorkerParts) {
  const workers: FakeWorker[] = [];
  class InProcessWorker implements FakeWorker {
    onmessage: ((event: MessageEvent) => void) | null = null;
    onerror: ((event: ErrorEvent) => void) | null = null;
    terminated = false;
    readonly received: unknown[] = [];
    readonly sent: unknown[] = [];
    readonly #outside: FakePort;
    #hung = false;

    constructor(readonly url: string) {
      const channel = new FakeMessageChannel();
      this.#outside = channel.port1;
      this.#outside.onmessage = (event) => {
        this.sent.push(event.data);
        if (!this.terminated) this.onmessage?.(event);
      };
      new LinkWorker(channel.port2 as never, parts);
      workers.push(this);
    }

    postMessage(data: unknown, transfer: unknown[] = []): void {
      this.received.push(data);
      if (!this.terminated && !this.#hung) this.#outside.postMessage(data, transfer);
    }

    hang(): void {
      this.#hung = true;
    }

    terminate(): void {
      this.terminated = true;
      this.#outside.close();
    }

    fail(message: string): void {
      const event = Object.assign(new Event('error'), { message, error: undefined }) as ErrorEvent;
      this.onerror?.(event);
    }
  }
  return { Worker: InProcessWorker as unknown as typeof Worker, workers };
}

/**
 * A part context whose Workers run in-process ({@link fakeWorkerClass}), with in-process
 * message channels, a `window` for `online`, and Blob URLs that are only recorded.
 */
export function fakeWorkerContext(parts: LinkWorkerParts, options: Partial<PartContext> = {}) {
  const { Worker, workers } = fakeWorkerClass(parts);
  const window = new EventTarget();
  const URL = { createObjectURL: vi.fn(() => 'blob:athos-worker'), revokeObjectURL: vi.fn() };
  const env = { Worker, MessageChannel: FakeMessageChannel, window, URL, Blob } as unknown as BrowserEnv;
  const logger = { debug: vi.fn(), warn: vi.fn(), addSecret: vi.fn() };
  const context: PartContext = { env, logger, debug: false, workletUrl: undefined, workerUrl: undefined, ...options };
  return { env, window, URL, logger, context, workers, worker: () => workers.at(-1) as FakeWorker };
}
