import { resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';

/** How each suffix bundles its entry: a worklet is an ES module, a Worker a classic script. */
const SCRIPT_FORMATS = { '?worklet-source': 'esm', '?worker-source': 'iife' } as const;

/**
 * Bundles an entry imported with the `?worklet-source` (an AudioWorklet module) or the
 * `?worker-source` suffix (a Worker script), with everything it imports, into one plain
 * string, so the script ships inside every build (ESM, CJS, IIFE) and in tests, and is loaded at
 * run time through a Blob URL. A root-absolute asset URL would break for every consumer of a
 * library build.
 */
function scriptSource(): Plugin {
  const suffixOf = (id: string) =>
    Object.keys(SCRIPT_FORMATS).find((suffix) => id.endsWith(suffix)) as keyof typeof SCRIPT_FORMATS | undefined;
  return {
    name: 'athos-script-source',
    enforce: 'pre',
    async resolveId(source, importer) {
      const suffix = suffixOf(source);
      if (!suffix || !importer) return null;
      const file = resolve(importer, '..', source.slice(0, -suffix.length));
      return `${file}${suffix}`;
    },
    async load(id) {
      const suffix = suffixOf(id);
      if (!suffix) return null;
      const file = id.slice(0, -suffix.length);
      const bundle = await rolldown({ input: file, platform: 'browser', transform: { target: 'es2022' } });
      try {
        // es2022: lower targets inject helper imports that do not exist in the worklet scope.
        const { output } = await bundle.generate({ format: SCRIPT_FORMATS[suffix], minify: true });
        const [chunk] = output;
        for (const module of chunk.moduleIds) this.addWatchFile(module);
        return `export default ${JSON.stringify(chunk.code)};`;
      } finally {
        await bundle.close();
      }
    },
  };
}

export default defineConfig({
  plugins: [scriptSource()],
  build: {
    target: 'es2022',
    sourcemap: true,
    emptyOutDir: true,
    // mitt and p-retry are bundled, so their MIT notices must travel with the builds.
    license: { fileName: 'THIRD-PARTY-LICENSES.md' },
    lib: {
      entry: resolve(import.meta.dirname, 'src/index.ts'),
      name: 'AthosRoleplay',
      formats: ['es', 'cjs', 'iife'],
      fileName: (format) => (format === 'es' ? 'index.mjs' : format === 'cjs' ? 'index.cjs' : 'athos-roleplay.iife.js'),
    },
  },
});
