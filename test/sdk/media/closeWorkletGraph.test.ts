import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeWorkletGraph } from '../../../src/media/closeWorkletGraph.ts';

function fakeWorklet() {
  const port = { onmessage: null as ((event: { data: unknown }) => void) | null, postMessage: vi.fn(), close: vi.fn() };
  return { port, disconnect: vi.fn() };
}

function fakeGraph() {
  const audioContext = { close: vi.fn(async () => undefined) };
  const worklet = fakeWorklet();
  return {
    audioContext,
    port: worklet.port,
    worklet,
    run: () => closeWorkletGraph(audioContext as unknown as AudioContext, [worklet as unknown as AudioWorkletNode]),
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

  it('closes only once every processor of the context confirmed', () => {
    const audioContext = { close: vi.fn(async () => undefined) };
    const capture = fakeWorklet();
    const playback = fakeWorklet();
    closeWorkletGraph(audioContext as unknown as AudioContext, [capture, playback] as unknown as AudioWorkletNode[]);
    expect(capture.port.postMessage).toHaveBeenCalledWith('stop');
    expect(playback.port.postMessage).toHaveBeenCalledWith('stop');
    capture.port.onmessage?.({ data: 'stopped' });
    capture.port.onmessage?.({ data: 'stopped' });
    expect(audioContext.close).not.toHaveBeenCalled();
    playback.port.onmessage?.({ data: 'stopped' });
    expect(audioContext.close).toHaveBeenCalledTimes(1);
    for (const worklet of [capture, playback]) {
      expect(worklet.disconnect).toHaveBeenCalled();
      expect(worklet.port.close).toHaveBeenCalled();
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes a context without a processor on the next task', () => {
    const audioContext = { close: vi.fn(async () => undefined) };
    closeWorkletGraph(audioContext as unknown as AudioContext, []);
    vi.advanceTimersByTime(0);
    expect(audioContext.close).toHaveBeenCalledTimes(1);
  });
});
