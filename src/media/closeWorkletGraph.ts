import { STOP_COMMAND, STOPPED_MESSAGE } from './worklet/protocol.ts';

/** How long to wait for the processors to confirm they stopped before closing anyway. */
const STOP_CONFIRM_TIMEOUT_MS = 100;

/**
 * Closes an AudioContext that runs the SDK's worklet processors. Each processor is told to stop
 * first, and the context is closed once all of them confirmed: Chromium never frees a context
 * (nor its nodes) that was closed while a processor still asked to keep running, so closing at
 * once would leak them for the page's life. A context that renders nothing (suspended) never
 * confirms; it is closed after a short wait.
 */
export function closeWorkletGraph(audioContext: AudioContext, worklets: readonly AudioWorkletNode[]): void {
  const running = new Set(worklets);
  const close = () => {
    clearTimeout(fallback);
    for (const worklet of worklets) {
      worklet.port.onmessage = null;
      worklet.port.close();
      worklet.disconnect();
    }
    audioContext.close().catch(() => undefined);
  };
  const fallback = setTimeout(close, worklets.length > 0 ? STOP_CONFIRM_TIMEOUT_MS : 0);
  for (const worklet of worklets) {
    worklet.port.onmessage = ({ data }: MessageEvent) => {
      if (data !== STOPPED_MESSAGE) return;
      running.delete(worklet);
      if (running.size === 0) close();
    };
    worklet.port.postMessage(STOP_COMMAND);
  }
}
