import { STOP_COMMAND, STOPPED_MESSAGE } from './worklet/protocol.ts';

/** How long to wait for the processor to confirm it stopped before closing anyway. */
const STOP_CONFIRM_TIMEOUT_MS = 100;

/**
 * Closes an AudioContext that runs one of the SDK's worklet processors. The processor is told
 * to stop first, and the context is closed once it confirmed: Chromium never frees a context
 * (nor its nodes) that was closed while its processor still asked to keep running, so closing
 * at once would leak them for the page's life. A context that renders nothing (suspended) never
 * confirms; it is closed after a short wait.
 */
export function closeWorkletGraph(audioContext: AudioContext | undefined, worklet: AudioWorkletNode | undefined): void {
  if (!audioContext) return;
  const close = () => {
    clearTimeout(fallback);
    if (worklet) {
      worklet.port.onmessage = null;
      worklet.port.close();
      worklet.disconnect();
    }
    audioContext.close().catch(() => undefined);
  };
  const fallback = setTimeout(close, worklet ? STOP_CONFIRM_TIMEOUT_MS : 0);
  if (!worklet) return;
  worklet.port.onmessage = ({ data }: MessageEvent) => {
    if (data === STOPPED_MESSAGE) close();
  };
  worklet.port.postMessage(STOP_COMMAND);
}
