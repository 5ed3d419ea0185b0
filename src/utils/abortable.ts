/** Options of {@link withDeadline}. */
export interface DeadlineOptions<T> {
  /** When it aborts first, the result rejects with its reason. */
  signal?: AbortSignal | undefined;
  /** How long to wait for the promise, in ms; no limit when left out. */
  ms?: number;
  /** Runs when `ms` pass first: what it returns resolves the result, what it throws rejects it. */
  onTimeout?: () => T;
}

/**
 * Settles like `promise`, unless `signal` aborts first (rejects with its reason) or `ms` pass
 * first (settles with `onTimeout()`). Leaves no timer or listener behind, whichever wins.
 */
export function withDeadline<T>(promise: Promise<T>, { signal, ms, onTimeout }: DeadlineOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) {
      timer = setTimeout(
        () =>
          settle(() => {
            try {
              resolve(onTimeout ? onTimeout() : (undefined as T));
            } catch (error) {
              reject(error);
            }
          }),
        ms,
      );
    }
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return withDeadline(new Promise<void>(() => undefined), { signal, ms });
}
