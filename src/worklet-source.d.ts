/** An AudioWorklet entry bundled to a string by the `athos-script-source` Vite plugin. */
declare module '*?worklet-source' {
  const source: string;
  export default source;
}

/** A Worker entry bundled to a string (a classic script) by the `athos-script-source` Vite plugin. */
declare module '*?worker-source' {
  const source: string;
  export default source;
}
