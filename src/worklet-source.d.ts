/** An AudioWorklet entry bundled to a string by the `athos-worklet-source` Vite plugin. */
declare module '*?worklet-source' {
  const source: string;
  export default source;
}
