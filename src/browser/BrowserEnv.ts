/**
 * The seam between the SDK and the browser: every browser API the SDK uses is reached
 * through this object, so unit tests can hand in fakes. It is read lazily, never at import
 * time, so the package imports cleanly in Node and during server-side rendering.
 */
export interface BrowserEnv {
  readonly navigator: Navigator;
  readonly document: Document;
  readonly window: Window;
  readonly fetch: typeof fetch;
  readonly WebSocket: typeof WebSocket;
  readonly AudioContext: typeof AudioContext;
  readonly AudioWorkletNode: typeof AudioWorkletNode;
  /** Missing where WebRTC is unavailable; playback then skips the echo-cancelling loopback. */
  readonly RTCPeerConnection: typeof RTCPeerConnection | undefined;
  readonly URL: typeof URL;
  readonly Blob: typeof Blob;
  /** Reports an error as uncaught (console, `window.onerror`, error trackers) without throwing it. */
  readonly reportError: (error: unknown) => void;
  readonly Worker: typeof Worker;
  readonly MessageChannel: typeof MessageChannel;
}

/** The real browser, read from the global scope at call time. */
export function browserEnv(): BrowserEnv {
  const scope = globalThis as typeof globalThis & Partial<BrowserEnv>;
  return {
    navigator: scope.navigator as Navigator,
    document: scope.document as Document,
    window: scope.window as Window,
    fetch: scope.fetch.bind(scope),
    WebSocket: scope.WebSocket,
    AudioContext: scope.AudioContext as typeof AudioContext,
    AudioWorkletNode: scope.AudioWorkletNode as typeof AudioWorkletNode,
    RTCPeerConnection: scope.RTCPeerConnection,
    URL: scope.URL,
    Blob: scope.Blob,
    reportError:
      scope.reportError?.bind(scope) ??
      ((error: unknown) =>
        setTimeout(() => {
          throw error;
        })),
    Worker: scope.Worker,
    MessageChannel: scope.MessageChannel,
  };
}
