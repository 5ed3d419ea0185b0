/**
 * Whether the browser's echo canceller is known to remove audio that a page plays from Web
 * Audio through an `<audio>` element, so that no peer-connection loopback is needed for it.
 * True for Firefox (Gecko): measured with `bench/echo.mjs` (figures in bench/README.md). False
 * for the Chromium family, whose canceller was documented to remove only audio received over
 * WebRTC; Chromium 156 on Linux removed it too, but other platforms are unmeasured.
 */
export function echoCancellerHearsWebAudio(userAgent: string): boolean {
  return /\bGecko\/\d/.test(userAgent) && /\bFirefox\//.test(userAgent);
}
