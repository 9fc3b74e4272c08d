import { join } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import { higherIsBetter, type Results, rowLabel } from './results-types';

/** The metric keys present in any row, in the contract's order of first appearance. */
export function metricColumns(results: Results): string[] {
  const keys: string[] = [];
  for (const row of results.rows)
    for (const key of Object.keys(row.metrics)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/** The metric keys whose rows carry a log10 mean (the stability ratios), in column order. */
export function log10Columns(results: Results): string[] {
  return metricColumns(results).filter((k) => results.rows.some((r) => r.log10?.[k] !== undefined));
}

/**
 * For each metric, the row indices marked best: the best value by the
 * metric's direction, and only where its 95% CI lies clear of every other
 * row's (a value ahead within noise, or without a CI, is not marked). Across
 * seeds the CI over seeds is the one compared.
 */
export function bestRows(results: Results): Record<string, Set<number>> {
  const best: Record<string, Set<number>> = {};
  for (const key of metricColumns(results)) {
    const higher = higherIsBetter(results, key);
    const rows = results.rows
      .map((r, i) => ({ i, value: r.metrics[key], ci: r.seedCi?.[key] ?? r.ci?.[key] }))
      .filter((r) => Number.isFinite(r.value));
    if (rows.length < 2) continue;
    const top = rows.reduce((a, b) => ((higher ? b.value > a.value : b.value < a.value) ? b : a));
    const clear = rows.every(
      (r) =>
        r === top ||
        (top.ci !== undefined &&
          r.ci !== undefined &&
          (higher ? top.ci[0] > r.ci[1] : top.ci[1] < r.ci[0])),
    );
    if (clear) best[key] = new Set([top.i]);
  }
  return best;
}

/** Formats a metric value with enough digits to compare rows. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e4 || abs < 1e-3)) return value.toExponential(2);
  return value.toFixed(abs >= 100 ? 1 : 3);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `results.csv`: one line per row, a column per metric and its CI bounds. */
export function resultsCsv(results: Results): string {
  const keys = metricColumns(results);
  const logKeys = log10Columns(results);
  const header = [
    'variant',
    'training',
    'smoothing',
    'explainer',
    ...keys.flatMap((k) => [k, `${k}_ci_low`, `${k}_ci_high`]),
    ...logKeys.map((k) => `${k}_log10`),
  ];
  const lines = results.rows.map((row) =>
    [
      rowLabel(row),
      row.training,
      String(row.smoothing),
      row.explainer,
      ...keys.flatMap((k) =>
        [row.metrics[k], row.ci?.[k]?.[0], row.ci?.[k]?.[1]].map((v) =>
          v === undefined ? '' : String(v),
        ),
      ),
      ...logKeys.map((k) => (row.log10?.[k] === undefined ? '' : String(row.log10[k]))),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.map(csvField).join(','), ...lines].join('\n')}\n`;
}

/** One line of the setup table: what a variant was built and attacked with. */
export interface SetupLine {
  variant: string;
  block: string;
  trainAttack: string;
  evalAttack: string;
  measured: string;
}

/**
 * Per variant (not per explainer): its FMS block, its training and
 * evaluation attacks by name with their ε, and how many evaluated images its
 * explanation metrics ran on — so plugin attacks and sweeps show by name in the table's files.
 */
export function setupLines(results: Results): SetupLine[] {
  const seen = new Map<string, SetupLine>();
  for (const row of results.rows) {
    const variant = rowLabel(row);
    if (seen.has(variant)) continue;
    const attack = (a?: { name: string; options: Record<string, unknown> }) =>
      a ? `${a.name} (ε ${formatValue(a.options.eps as number | undefined)})` : '–';
    seen.set(variant, {
      variant,
      block: row.smoothing ? (row.block ?? 'gaussian') : '–',
      trainAttack: attack(row.attack?.train),
      evalAttack: attack(row.attack?.eval),
      measured: row.samples
        ? `${formatCount(row.samples.measured)} of ${row.samples.evaluated}${row.samples.correctlyClassifiedOnly ? ' (correctly classified)' : ''}`
        : '–',
    });
  }
  return [...seen.values()];
}

const formatCount = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The sentence saying which test images were measured, for results.md and the report. */
export function evaluationSentence(results: Results): string {
  const e = results.evaluation;
  if (!e) return '';
  return (
    `${e.images} test images drawn with seed ${e.seed}, the same for every variant${results.seeds ? ' and every seed (the seeds vary training, not the images)' : ''}` +
    `${e.correctlyClassifiedOnly ? "; the explanation metrics use the ones each model classifies correctly (the FMS authors' rule), accuracies all of them" : ''}.`
  );
}

/** The metric keys whose rows carry the FMS authors' `extra.<key>.log10Mean` (log10 of the mean ROS). */
export function log10MeanColumns(results: Results): string[] {
  return metricColumns(results).filter((k) =>
    results.rows.some((r) => typeof r.extra?.[k]?.log10Mean === 'number'),
  );
}

/** A value with its 95% CI over seeds, `0.612 [0.600, 0.624]`, or the value alone without one. */
function withSeedCi(value: number | undefined, ci: unknown): string {
  const text = formatValue(value);
  if (!Array.isArray(ci) || ci.length !== 2) return text;
  return `${text} [${formatValue(ci[0] as number)}, ${formatValue(ci[1] as number)}]`;
}

/**
 * `results.md`: the table, best value per column in bold, arrows for the
 * direction; with seeds each value carries its 95% CI over seeds. The
 * `log10 k` columns are the mean of per-sample log10 values, the
 * `log10(mean k)` columns the FMS authors' log10 of the mean (ROS).
 */
export function resultsMarkdown(results: Results): string {
  const keys = metricColumns(results);
  const logKeys = log10Columns(results);
  const meanLogKeys = log10MeanColumns(results);
  const best = bestRows(results);
  const head = `| variant | explainer | ${[...keys.map((k) => `${k} ${higherIsBetter(results, k) ? '↑' : '↓'}`), ...logKeys.map((k) => `log10 ${k}`), ...meanLogKeys.map((k) => `log10(mean ${k})`)].join(' | ')} |`;
  const sep = `|---|---|${[...keys, ...logKeys, ...meanLogKeys].map(() => '---:').join('|')}|`;
  const body = results.rows.map((row, i) => {
    const cells = keys.map((k) => {
      const text = withSeedCi(row.metrics[k], row.seedCi?.[k]);
      return best[k]?.has(i) ? `**${text}**` : text;
    });
    for (const k of logKeys) cells.push(formatValue(row.log10?.[k]));
    for (const k of meanLogKeys)
      cells.push(
        withSeedCi(
          row.extra?.[k]?.log10Mean as number | undefined,
          row.extra?.[k]?.log10MeanSeedCi,
        ),
      );
    return `| ${rowLabel(row).replace(/\|/g, '\\|')} | ${row.explainer} | ${cells.join(' | ')} |`;
  });
  const lines = [
    `# trustgrad results: ${results.preset}`,
    '',
    `dataset ${results.dataset}, backend ${results.backend}, ${results.seeds ? `seeds ${results.seeds.join(', ')} (values: means over seeds with the 95% t-interval over seeds in brackets; best judged by it)` : `seed ${results.seed}`}`,
    '',
    head,
    sep,
    ...body,
    '',
    'Bold: best in its column with a 95% CI clear of every other row.',
    '',
    '## Setup',
    '',
    [results.model ? `Model ${results.model}.` : '', evaluationSentence(results)]
      .filter(Boolean)
      .join(' '),
    '',
    '| variant | FMS block | training attack | evaluation attack | images measured |',
    '|---|---|---|---|---|',
    ...setupLines(results).map(
      (l) =>
        `| ${[l.variant, l.block, l.trainAttack, l.evalAttack, l.measured].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`,
    ),
  ];
  const definitions = Object.entries(results.metricDefinitions ?? {});
  if (definitions.length)
    lines.push(
      '',
      '## Metrics',
      '',
      ...definitions.map(
        ([k, d]) =>
          `- **${k}** (${d.higherIsBetter ? '↑ higher' : '↓ lower'} is better): ${d.description}`,
      ),
    );
  if (results.findings?.length)
    lines.push('', '## Findings', '', ...results.findings.map((f) => `- ${f}`));
  return `${lines.join('\n')}\n`;
}

/** Writes `results.json`, `results.csv` and `results.md` into `outDir` atomically. */
export function writeResults(outDir: string, results: Results): void {
  writeAtomic(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeAtomic(join(outDir, 'results.csv'), resultsCsv(results));
  writeAtomic(join(outDir, 'results.md'), resultsMarkdown(results));
}
