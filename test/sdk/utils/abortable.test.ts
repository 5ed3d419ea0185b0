import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep, withDeadline } from '../../../src/utils/abortable.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A promise the test settles by hand. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** An AbortSignal that tracks its abort listeners, to prove none is left behind. */
function countingSignal() {
  const controller = new AbortController();
  const { signal } = controller;
  const attached = new Set<unknown>();
  // A listener added with `once` is gone once the signal aborted.
  signal.addEventListener('abort', () => attached.clear());
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    attached.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener) => {
    attached.delete(listener);
    remove(type, listener);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners: () => attached.size };
}

describe('withDeadline', () => {
  it('settles like the promise, leaving no timer or listener behind', async () => {
    const { signal, listeners } = countingSignal();
    const value = pending<string>();
    const result = withDeadline(value.promise, { signal, ms: 1_000 });
    expect(listeners()).toBe(1);
    value.resolve('done');
    await expect(result).resolves.toBe('done');
    expect(listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    const failing = pending<string>();
    const rejected = withDeadline(failing.promise, { signal, ms: 1_000 });
    failing.reject(new Error('boom'));
    await expect(rejected).rejects.toThrow('boom');
    expect(listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason when the signal aborts first, and cleans up', async () => {
    const { controller, signal, listeners } = countingSignal();
    const result = withDeadline(pending<void>().promise, { signal, ms: 1_000 });
    controller.abort(new Error('cancelled'));
    await expect(result).rejects.toThrow('cancelled');
    expect(listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once with an aborted signal, adding nothing', async () => {
    const { controller, signal, listeners } = countingSignal();
    controller.abort(new Error('already'));
    await expect(withDeadline(pending<void>().promise, { signal, ms: 1_000 })).rejects.toThrow('already');
    expect(listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settles with onTimeout at the deadline, not before: its value resolves, its throw rejects', async () => {
    const { signal, listeners } = countingSignal();
    const resolved = withDeadline(pending<boolean>().promise, { signal, ms: 1_000, onTimeout: () => false });
    const rejected = withDeadline(pending<boolean>().promise, {
      ms: 1_000,
      onTimeout: () => {
        throw new Error('too slow');
      },
    });
    rejected.catch(() => undefined);
    let settled = false;
    void resolved.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(resolved).resolves.toBe(false);
    await expect(rejected).rejects.toThrow('too slow');
    expect(listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits without limit when no ms is given', async () => {
    const value = pending<number>();
    const result = withDeadline(value.promise, {});
    expect(vi.getTimerCount()).toBe(0);
    value.resolve(7);
    await expect(result).resolves.toBe(7);
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    let done = false;
    void sleep(500).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('rejects with the reason when aborted, and clears its timer', async () => {
    const { controller, signal, listeners } = countingSignal();
    const slept = sleep(500, signal);
    controller.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners()).toBe(0);
  });
});
