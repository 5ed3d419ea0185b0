/**
 * What the Worker probe (workerProbe.ts) keeps in a page, as `window.workerProbe`: types only,
 * so that the bench page's scripts can read it too.
 */

/** One report of a probe script, as the page keeps it. */
export interface WorkerReport {
  kind: string;
  /** Which Worker reported it: an id the probe gives each one. */
  worker: string;
  /** When, in the page's `performance.now()` ms. */
  at: number;
  [field: string]: unknown;
}

/** What `installWorkerProbe` keeps, as `window.workerProbe`. */
export interface WorkerProbe {
  /** Script sources that every new Worker runs first. */
  preludes: string[];
  reports: WorkerReport[];
  /** Every Worker the page started, and whether it was terminated. */
  workers: Array<{ url: string; terminated: boolean }>;
}

declare global {
  interface Window {
    workerProbe: WorkerProbe;
  }
}
