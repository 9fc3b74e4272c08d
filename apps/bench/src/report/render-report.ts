import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import { higherIsBetter, type Results, rowLabel } from '../results/results-types';
import { bestRows, formatValue, metricColumns } from '../results/write-results';
import { type PlotPoint, tradeOffPlotSvg } from './trade-off-plot';

/** The heatmap files of one variant × explainer, as the run wrote them under `heatmaps/`. */
export interface HeatmapEntry {
  variant: string;
  explainer: string;
  /** Paths relative to the results folder, one per test image, in the same image order for all entries. */
  files: string[];
}

/** `heatmaps/index.json`: the grid's images (inputs) and entries. */
export interface HeatmapIndex {
  inputs: string[];
  labels: string[];
  entries: HeatmapEntry[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function inlinePng(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) return '';
  return `data:image/png;base64,${readFileSync(path).toString('base64')}`;
}

function tableHtml(results: Results): string {
  const keys = metricColumns(results);
  const best = bestRows(results);
  const head = keys
    .map(
      (k) =>
        `<th title="${higherIsBetter(results, k) ? 'higher is better' : 'lower is better'}">${escapeHtml(k)} ${higherIsBetter(results, k) ? '↑' : '↓'}</th>`,
    )
    .join('');
  const rows = results.rows
    .map((row, i) => {
      const cells = keys
        .map((k) => {
          const ci = row.ci?.[k];
          const ciText = ci
            ? `<span class="ci">[${formatValue(ci[0])}, ${formatValue(ci[1])}]</span>`
            : '';
          return `<td class="${best[k]?.has(i) ? 'best' : ''}">${formatValue(row.metrics[k])}${ciText}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(rowLabel(row))}</th><td>${escapeHtml(row.explainer)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="results-table"><thead><tr><th>variant</th><th>explainer</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function heatmapGridHtml(dir: string, index: HeatmapIndex | null): string {
  if (!index || index.entries.length === 0) return '<p>No heatmaps were written for this run.</p>';
  const header = index.inputs
    .map(
      (file, i) =>
        `<td><img alt="input ${i}" src="${inlinePng(dir, file)}"><div class="cap">${escapeHtml(index.labels[i] ?? '')}</div></td>`,
    )
    .join('');
  const rows = index.entries
    .map(
      (entry) =>
        `<tr><th>${escapeHtml(entry.variant)}<br><small>${escapeHtml(entry.explainer)}</small></th>${entry.files
          .map(
            (file) =>
              `<td><img class="heatmap" alt="${escapeHtml(`${entry.variant} ${entry.explainer}`)}" src="${inlinePng(dir, file)}"></td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table id="heatmap-grid"><tr><th>input</th>${header}</tr>${rows}</table>`;
}

async function plotsHtml(results: Results): Promise<string> {
  const point = (x: string, y: string, explainer?: string): PlotPoint[] =>
    results.rows
      .filter(
        (r) =>
          (explainer ? r.explainer === explainer : true) &&
          r.metrics[x] !== undefined &&
          r.metrics[y] !== undefined,
      )
      .map((r) => ({
        label: `${rowLabel(r)}${explainer ? '' : ` ${r.explainer}`}`,
        x: r.metrics[x],
        y: r.metrics[y],
      }));
  const plots: string[] = [];
  const giniRos = point('ros', 'gini');
  if (giniRos.length)
    plots.push(
      await tradeOffPlotSvg(giniRos, {
        x: 'ROS (log scale, lower = more stable)',
        y: 'Gini (higher = sparser)',
        title: 'Sparsity vs output stability',
        logX: true,
      }),
    );
  const firstExplainer = results.rows[0]?.explainer;
  const acc = point('cleanAcc', 'robustAcc', firstExplainer);
  if (acc.length)
    plots.push(
      await tradeOffPlotSvg(acc, {
        x: 'clean accuracy',
        y: 'robust accuracy (PGD)',
        title: 'Clean vs robust accuracy',
      }),
    );
  return plots.map((svg) => `<figure class="plot">${svg}</figure>`).join('\n');
}

/**
 * Writes `report.html` into a results folder: self-contained (images and plots
 * inlined), with the table (best per column marked, 95% CIs), the heatmap grid
 * of every variant × explainer on the same test images, and trade-off plots.
 */
export async function renderReport(dir: string): Promise<string> {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  const indexPath = join(dir, 'heatmaps', 'index.json');
  const index = existsSync(indexPath)
    ? (JSON.parse(readFileSync(indexPath, 'utf8')) as HeatmapIndex)
    : null;
  const findings = results.findings?.length
    ? `<h2>Findings</h2><ul id="findings">${results.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`
    : '';
  const timings = results.timings
    ? `<p class="meta">time: ${Object.entries(results.timings)
        .map(([k, v]) => `${escapeHtml(k)} ${v.toFixed(0)} s`)
        .join(', ')}</p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trustgrad report: ${escapeHtml(results.preset)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;max-width:1400px}
h1{font-size:1.6rem;margin-bottom:.2rem}.meta{color:#57606a;margin-top:0}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:right;font-variant-numeric:tabular-nums}
#results-table th:first-child,#results-table td:nth-child(2){text-align:left}
td.best{background:#dafbe1;font-weight:600}.ci{display:block;font-size:.72rem;color:#57606a;font-weight:400}
#heatmap-grid img{width:84px;height:84px;image-rendering:pixelated;display:block}#heatmap-grid td{padding:2px}
.cap{font-size:.7rem;text-align:center;color:#57606a}.plots{display:flex;flex-wrap:wrap;gap:2rem}figure.plot{margin:0}
</style></head><body>
<h1>trustgrad report: ${escapeHtml(results.preset)}</h1>
<p class="meta">dataset ${escapeHtml(results.dataset)} · backend ${escapeHtml(results.backend)} · seed ${results.seed}</p>${timings}
<h2>Results</h2>
<p class="meta">Means over the evaluated test images; 95% bootstrap confidence intervals below each value; best per column in green (↑ higher is better, ↓ lower is better).</p>
${tableHtml(results)}
${findings}
<h2>Trade-offs</h2><div class="plots">${await plotsHtml(results)}</div>
<h2>Saliency maps</h2>
<p class="meta">The same test images explained by every variant and explainer (absolute attribution, channel-summed, per-image normalised).</p>
${heatmapGridHtml(dir, index)}
</body></html>
`;
  const path = join(dir, 'report.html');
  writeAtomic(path, html);
  return path;
}
