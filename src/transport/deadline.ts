/**
 * Settles like `promise`, unless `ms` pass first (then rejects with `timeoutError()`) or
 * `signal` aborts first (then rejects with its reason). Leaves no timer or listener behind.
 */
export function deadline<T>(promise: Promise<T>, ms: number, signal: AbortSignal, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      finish();
    };
    const onAbort = () => settle(() => reject(signal.reason));
    const timer = setTimeout(() => settle(() => reject(timeoutError())), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
