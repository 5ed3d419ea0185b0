/** The Markdown table of figures printed after a run and kept in bench/README.md. */

/** @typedef {import('./figures.mjs').Figure} Figure */

/** @param {number | null | undefined} number */
function format(number) {
  if (number === null || number === undefined) return '–';
  if (Number.isInteger(number)) return String(number);
  return Math.abs(number) < 10 ? number.toFixed(1) : String(Math.round(number));
}

/** @param {Figure} figure */
function measured(figure) {
  if ('value' in figure) return `${format(figure.value)} ${figure.unit}`;
  return `${format(figure.median)} / ${format(figure.p95)} ${figure.unit}`;
}

/** @param {Figure} figure */
function target({ target, unit }) {
  if (!target) return '';
  return `≤ ${format(target.max)} ${unit}${target.of === 'value' ? '' : ` (${target.of})`}`;
}

/** @type {Map<boolean | null, string>} */
const STATUS = new Map([
  [true, 'met'],
  [false, '**missed**'],
  [null, ''],
]);

/**
 * @param {{ benches: Record<string, { figures: Figure[] }> }} results
 * @param {string[]} names the benchmarks to show, in order
 */
export function markdownTable(results, names) {
  const rows = [
    '| Benchmark | Figure | Measured (median / p95, or value) | Runs | Target | Status |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    for (const figure of results.benches[name]?.figures ?? []) {
      const label = figure.note ? `${figure.name} (${figure.note})` : figure.name;
      rows.push(`| ${name} | ${label} | ${measured(figure)} | ${figure.runs} | ${target(figure)} | ${STATUS.get(figure.met)} |`);
    }
  }
  return rows.join('\n');
}
