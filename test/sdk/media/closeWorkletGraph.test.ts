import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeWorkletGraph } from '../../../src/media/closeWorkletGraph.ts';

function fakeGraph() {
  const audioContext = { close: vi.fn(async () => undefined) };
  const port = { onmessage: null as ((event: { data: unknown }) => void) | null, postMessage: vi.fn(), close: vi.fn() };
  const worklet = { port, disconnect: vi.fn() };
  return {
    audioContext,
    port,
    worklet,
    run: () => closeWorkletGraph(audioContext as unknown as AudioContext, worklet as unknown as AudioWorkletNode),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('closeWorkletGraph', () => {
  it('asks the processor to stop and closes the context once it confirmed, not before', () => {
    const graph = fakeGraph();
    graph.run();
    expect(graph.port.postMessage).toHaveBeenCalledWith('stop');
    expect(graph.audioContext.close).not.toHaveBeenCalled();
    graph.port.onmessage?.({ data: { speaking: false, clears: 0 } });
    expect(graph.audioContext.close).not.toHaveBeenCalled();
    graph.port.onmessage?.({ data: 'stopped' });
    expect(graph.audioContext.close).toHaveBeenCalledTimes(1);
    expect(graph.worklet.disconnect).toHaveBeenCalled();
    expect(graph.port.close).toHaveBeenCalled();
    expect(graph.port.onmessage).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(graph.audioContext.close).toHaveBeenCalledTimes(1);
  });

  it('closes anyway after 100 ms when the processor never confirms (a suspended context)', () => {
    const graph = fakeGraph();
    graph.run();
    vi.advanceTimersByTime(99);
    expect(graph.audioContext.close).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(graph.audioContext.close).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes a context without a processor on the next task', () => {
    const audioContext = { close: vi.fn(async () => undefined) };
    closeWorkletGraph(audioContext as unknown as AudioContext, undefined);
    vi.advanceTimersByTime(0);
    expect(audioContext.close).toHaveBeenCalledTimes(1);
  });
});
