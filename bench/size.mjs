/**
 * Size: minified + gzipped bytes of each build in dist/, and of an app that imports only
 * `create` (bundled with rolldown, minified, so tree-shaking decides what is kept).
 * Needs `npm run build` first (bench/run.mjs does it).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rolldown } from 'rolldown';
import { minifySync } from 'rolldown/experimental';
import { single } from './lib/figures.mjs';

/** @param {string} file a file in dist/ */
const dist = (file) => new URL(`../dist/${file}`, import.meta.url).pathname;
/** @type {import('./lib/figures.mjs').Target} */
const BUDGET = { max: 12_000, of: 'value' };
/** Issue 13: the script-tag build, which carries the Worker's source, at most 15 kB. */
const SCRIPT_TAG_BUDGET = /** @type {import('./lib/figures.mjs').Target} */ ({ max: 15_000, of: 'value' });

const BUILDS = [
  { name: 'ESM build (dist/index.mjs)', file: 'index.mjs', module: true, target: BUDGET },
  { name: 'CJS build (dist/index.cjs)', file: 'index.cjs', module: false, target: BUDGET },
  {
    name: 'IIFE build with its Worker (dist/athos-roleplay.iife.js)',
    file: 'athos-roleplay.iife.js',
    module: false,
    target: SCRIPT_TAG_BUDGET,
  },
  { name: 'Hosted Worker (dist/athos-worker.js, for `workerUrl`)', file: 'athos-worker.js', module: false, target: undefined },
];

/** @param {string} code */
const gzipBytes = (code) => gzipSync(code, { level: 9 }).length;

/**
 * @param {string} file
 * @param {string} code
 * @param {boolean} module whether `code` is an ES module
 */
function minified(file, code, module) {
  const result = minifySync(file, code, { module, compress: true, mangle: true });
  if (result.errors.length > 0) throw new Error(`${file}: ${result.errors[0]?.message}`);
  return result.code;
}

/** Bundles bench/fixtures/create-only.js against the built ESM file, minified. */
async function createOnlyApp() {
  const bundle = await rolldown({
    input: new URL('./fixtures/create-only.js', import.meta.url).pathname,
    platform: 'browser',
    resolve: { alias: { '@useathos/sdk': dist('index.mjs') } },
    // The root tsconfig maps @useathos/sdk to src/ for the type checker; this app must get dist/.
    tsconfig: false,
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', minify: true });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/** Measures every build and the create-only app. */
export async function run() {
  const figures = [];
  /** @type {Record<string, { bytes?: number, gzipAsShipped?: number, minBytes: number, minGzip: number }>} */
  const details = {};
  for (const { name, file, module, target } of BUILDS) {
    const code = readFileSync(dist(file), 'utf8');
    const min = minified(file, code, module);
    details[file] = {
      bytes: Buffer.byteLength(code),
      gzipAsShipped: gzipBytes(code),
      minBytes: Buffer.byteLength(min),
      minGzip: gzipBytes(min),
    };
    figures.push(single(name, 'B min+gzip', gzipBytes(min), { target }));
  }
  const app = await createOnlyApp();
  details['create-only app'] = { minBytes: Buffer.byteLength(app), minGzip: gzipBytes(app) };
  figures.push(single('App importing only `create`', 'B min+gzip', gzipBytes(app), { target: BUDGET }));
  return { figures, details };
}
