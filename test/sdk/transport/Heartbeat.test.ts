import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { BUSY_DRAIN_MS, BUSY_GRACE_MS, Heartbeat, SILENCE_LIMIT_MS } from '../../../src/transport/Heartbeat.ts';

describe('Heartbeat', () => {
  let heardAt: number;
  let ping: Mock<(id: number) => void>;
  let onSilence: Mock<() => void>;
  let heartbeat: Heartbeat;

  beforeEach(() => {
    vi.useFakeTimers();
    heardAt = performance.now();
    ping = vi.fn<(id: number) => void>();
    onSilence = vi.fn<() => void>();
    heartbeat = new Heartbeat({ intervalMs: 1000, lastHeardAt: () => heardAt, ping, onSilence });
  });

  afterEach(() => {
    heartbeat.stop();
    vi.useRealTimers();
  });

  const hear = () => (heardAt = performance.now());

  it('pings every interval with rising ids', () => {
    for (let second = 0; second < 3; second++) {
      vi.advanceTimersByTime(1000);
      hear();
    }
    expect(ping.mock.calls).toEqual([[1], [2], [3]]);
  });

  // Fake timers run a 0 ms timeout set during a tick 1 ms later: the drain costs 1 ms here.
  it('reports a silent gateway after 2.5 s and one drain of the task queue, not before', () => {
    expect(SILENCE_LIMIT_MS).toBe(2500);
    vi.advanceTimersByTime(2500);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onSilence).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(onSilence).toHaveBeenCalledTimes(1);
    expect(ping).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  /** Replaces the heartbeat with one whose drains wait in `waiting` until the test answers them. */
  const restartWithDrain = (waiting: Array<() => void>) => {
    heartbeat.stop();
    heartbeat = new Heartbeat({
      intervalMs: 1000,
      lastHeardAt: () => heardAt,
      ping,
      onSilence,
      drain: (then) => waiting.push(then),
    });
  };

  it('asks its drain, when given one, and decides only once it answers; not at all once stopped', () => {
    const waiting: Array<() => void> = [];
    restartWithDrain(waiting);
    vi.advanceTimersByTime(2500);
    expect(waiting).toHaveLength(1);
    vi.advanceTimersByTime(5_000);
    expect(onSilence).not.toHaveBeenCalled();
    hear();
    waiting.shift()?.();
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2500);
    heartbeat.stop();
    waiting.shift()?.();
    expect(onSilence).not.toHaveBeenCalled();
  });

  describe('when the drain is answered by a busy thread', () => {
    const waiting: Array<() => void> = [];
    const answerAfter = (ms: number) => {
      vi.advanceTimersByTime(ms);
      waiting.shift()?.();
    };

    beforeEach(() => {
      waiting.length = 0;
      restartWithDrain(waiting);
      vi.advanceTimersByTime(SILENCE_LIMIT_MS);
      expect(waiting).toHaveLength(1);
    });

    it('waits a grace for what the thread held back, which keeps the link', () => {
      // Firefox: the page's main thread answers the drain, then hands on the socket messages
      // queued behind it.
      answerAfter(500);
      expect(onSilence).not.toHaveBeenCalled();
      vi.advanceTimersByTime(5);
      hear();
      vi.advanceTimersByTime(SILENCE_LIMIT_MS - 10);
      expect(waiting).toHaveLength(0);
      expect(onSilence).not.toHaveBeenCalled();
    });

    it('reports the silence once a prompt drain after the grace confirms it', () => {
      answerAfter(500);
      vi.advanceTimersByTime(BUSY_GRACE_MS - 1);
      expect(waiting).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(waiting).toHaveLength(1);
      answerAfter(BUSY_DRAIN_MS);
      expect(onSilence).toHaveBeenCalledTimes(1);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('gives at most four graces in a row to a thread that stays busy', () => {
      for (let grace = 0; grace < 4; grace++) {
        answerAfter(BUSY_DRAIN_MS + 1);
        vi.advanceTimersByTime(BUSY_GRACE_MS);
      }
      expect(onSilence).not.toHaveBeenCalled();
      answerAfter(BUSY_DRAIN_MS + 1);
      expect(onSilence).toHaveBeenCalledTimes(1);
    });

    it('gives a fresh set of graces once the gateway was heard again', () => {
      for (let grace = 0; grace < 4; grace++) {
        answerAfter(BUSY_DRAIN_MS + 1);
        vi.advanceTimersByTime(BUSY_GRACE_MS);
      }
      hear();
      answerAfter(BUSY_DRAIN_MS + 1);
      vi.advanceTimersByTime(SILENCE_LIMIT_MS);
      answerAfter(BUSY_DRAIN_MS + 1);
      expect(onSilence).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(2); // the pinger and the grace's check
    });
  });

  it('counts silence from the last thing heard', () => {
    vi.advanceTimersByTime(2000);
    hear();
    vi.advanceTimersByTime(2500);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onSilence).toHaveBeenCalledTimes(1);
  });

  it('lets messages queued behind a late timer arrive before deciding', () => {
    // The main thread was busy across the deadline: the check due at 2.5 s runs first, and a
    // ping that arrived meanwhile is delivered right after it, in the same tick.
    vi.advanceTimersByTime(1600);
    setTimeout(hear, 900);
    vi.advanceTimersByTime(901);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2499);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onSilence).toHaveBeenCalledTimes(1);
  });

  it('stop() clears every timer', () => {
    heartbeat.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(ping).not.toHaveBeenCalled();
    expect(onSilence).not.toHaveBeenCalled();
  });

  it('measures the round trip of each ping once, and forgets pings never answered', () => {
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(25);
    hear();
    expect(heartbeat.pong(1)).toBe(25);
    expect(heartbeat.pong(1)).toBeUndefined();
    expect(heartbeat.pong(undefined)).toBeUndefined();
    for (let second = 0; second < 9; second++) {
      vi.advanceTimersByTime(1000);
      hear();
    }
    expect(heartbeat.pong(2)).toBeUndefined(); // one of the eight most recent only
    expect(heartbeat.pong(10)).toBe(25);
  });
});
