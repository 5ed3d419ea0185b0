/**
 * bench/results/latest.json: the latest figures of every benchmark. Each run replaces the
 * figures of the benchmarks it ran and keeps the others, so running one benchmark alone does
 * not lose the rest.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const RESULTS_FILE = new URL('../results/latest.json', import.meta.url);

export function readResults() {
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
  } catch {
    return { benches: {} };
  }
}

/**
 * Stores the figures of one benchmark.
 * @param {string} bench
 * @param {import('./figures.mjs').Figure[]} figures
 * @param {Record<string, unknown>} [details] anything else worth keeping (per-step data, versions)
 */
export function recordBench(bench, figures, details = {}) {
  const results = readResults();
  results.benches[bench] = {
    ranAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverage1m: loadavg()[0] },
    figures,
    ...details,
  };
  mkdirSync(new URL('.', RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}
