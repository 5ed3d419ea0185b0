import mitt, { type Emitter } from 'mitt';
import type { Logger } from '../utils/logger.ts';
import type { AthosEventMap, AthosEventName } from './events.ts';

type Handler<K extends AthosEventName> = (payload: AthosEventMap[K]) => unknown;

/**
 * The session's event hub. A handler that throws (or returns a rejected promise) does not
 * stop the other handlers or the session; its error is reported as an uncaught one, where the
 * page's developers and their error tracker see it.
 */
export class SessionEvents {
  readonly #emitter: Emitter<AthosEventMap> = mitt<AthosEventMap>();
  readonly #wrapped = new Map<AthosEventName, Map<Handler<never>, (payload: never) => void>>();
  readonly #logger: Logger;
  readonly #reportError: (error: unknown) => void;

  /**
   * @param reportError - reports a handler's error without throwing it at the SDK (the
   *   browser's `reportError`).
   */
  constructor(logger: Logger, reportError: (error: unknown) => void) {
    this.#logger = logger;
    this.#reportError = reportError;
  }

  /** Adds `handler` for `event` (once: adding the same handler again does nothing). */
  on<K extends AthosEventName>(event: K, handler: Handler<K>): () => void {
    let handlers = this.#wrapped.get(event);
    if (!handlers) {
      handlers = new Map();
      this.#wrapped.set(event, handlers);
    }
    if (!handlers.has(handler as Handler<never>)) {
      const safe = (payload: AthosEventMap[K]) => this.#invoke(event, handler, payload);
      handlers.set(handler as Handler<never>, safe as (payload: never) => void);
      this.#emitter.on(event, safe);
    }
    return () => this.off(event, handler);
  }

  /** Removes `handler` from `event`. */
  off<K extends AthosEventName>(event: K, handler: Handler<K>): void {
    const handlers = this.#wrapped.get(event);
    const safe = handlers?.get(handler as Handler<never>);
    if (!handlers || !safe) return;
    handlers.delete(handler as Handler<never>);
    this.#emitter.off(event, safe as (payload: AthosEventMap[K]) => void);
  }

  /** Calls every handler of `event` with `payload`. */
  emit<K extends AthosEventName>(event: K, payload: AthosEventMap[K]): void {
    this.#logger.debug(`event ${event}`, payload);
    this.#emitter.emit(event, payload);
  }

  /** Removes every handler. */
  clear(): void {
    this.#emitter.all.clear();
    this.#wrapped.clear();
  }

  #invoke<K extends AthosEventName>(event: K, handler: Handler<K>, payload: AthosEventMap[K]): void {
    const report = (error: unknown) => {
      this.#logger.debug(`a '${event}' handler failed; reported as uncaught`);
      this.#reportError(error);
    };
    try {
      const result = handler(payload);
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }
}
