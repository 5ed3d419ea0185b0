/**
 * Reads a Chromium trace (categories `toplevel` and `disabled-by-default-devtools.timeline`)
 * for the top-level tasks of one page's renderer main thread.
 */

/**
 * The fields read here of one trace event.
 * @typedef {object} TraceEvent
 * @property {string} name
 * @property {string} ph phase: 'X' a complete event, 'M' metadata
 * @property {number} pid
 * @property {number} tid
 * @property {number} ts start, in µs
 * @property {number} [tdur] thread (CPU) time, in µs
 * @property {{ name?: string, data?: { frames: { url: string, processId: number }[] } }} args
 */

/**
 * @param {Buffer} trace what `browser.stopTracing()` returns
 * @param {string} pageUrl the page whose renderer counts
 * @returns {{ perSecond: number[], cpuMs: number }} the task count of each whole second traced,
 *   and the tasks' thread (CPU) time over the whole trace
 */
export function mainThreadTasks(trace, pageUrl) {
  const parsed = JSON.parse(trace.toString('utf8'));
  /** @type {TraceEvent[]} */
  const events = parsed.traceEvents ?? parsed;
  const started = events.find((event) => event.name === 'TracingStartedInBrowser');
  const frame = started?.args.data?.frames.find((candidate) => candidate.url === pageUrl);
  if (!started || !frame) throw new Error(`the trace does not show ${pageUrl}`);
  const main = events.find(
    (event) =>
      event.ph === 'M' && event.name === 'thread_name' && event.pid === frame.processId && event.args.name === 'CrRendererMain',
  );
  if (!main) throw new Error(`the trace has no main thread for ${pageUrl}`);
  const tasks = events.filter(
    (event) =>
      event.ph === 'X' && event.name === 'ThreadControllerImpl::RunTask' && event.pid === main.pid && event.tid === main.tid,
  );
  const lastTs = events.reduce((last, event) => Math.max(last, event.ts ?? 0), 0);
  const perSecond = Array.from({ length: Math.floor((lastTs - started.ts) / 1e6) }, () => 0);
  for (const task of tasks) {
    const second = Math.floor((task.ts - started.ts) / 1e6);
    const count = perSecond[second]; // undefined outside the whole seconds traced
    if (count !== undefined) perSecond[second] = count + 1;
  }
  return { perSecond, cpuMs: tasks.reduce((sum, task) => sum + (task.tdur ?? 0), 0) / 1000 };
}
