import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import { higherIsBetter, type Results, rowLabel } from '../results/results-types';
import {
  bestRows,
  evaluationSentence,
  formatValue,
  log10Columns,
  log10MeanColumns,
  metricColumns,
  setupLines,
} from '../results/write-results';
import { type CurvePoint, curvesPlotSvg } from './curves-plot';
import { ssimSigmaPlotSvg } from './ssim-sigma-plot';
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
  const logKeys = log10Columns(results);
  const meanLogKeys = log10MeanColumns(results);
  const best = bestRows(results);
  const head =
    keys
      .map(
        (k) =>
          `<th title="${higherIsBetter(results, k) ? 'higher is better' : 'lower is better'}">${escapeHtml(k)} ${higherIsBetter(results, k) ? '↑' : '↓'}</th>`,
      )
      .join('') +
    logKeys.map((k) => `<th class="log10">log10 ${escapeHtml(k)}</th>`).join('') +
    meanLogKeys
      .map(
        (k) =>
          `<th class="log10-mean" title="the FMS authors' log10 of the mean">log10(mean ${escapeHtml(k)})</th>`,
      )
      .join('');
  const rows = results.rows
    .map((row, i) => {
      const cells = keys
        .map((k) => {
          const ci = row.ci?.[k];
          const seedCi = row.seedCi?.[k];
          const ciText =
            (ci
              ? `<span class="ci" title="per-sample 95% bootstrap CI">[${formatValue(ci[0])}, ${formatValue(ci[1])}]</span>`
              : '') +
            (seedCi
              ? `<span class="ci seed-ci" title="95% t-interval over seeds">seeds [${formatValue(seedCi[0])}, ${formatValue(seedCi[1])}]</span>`
              : '');
          return `<td class="${best[k]?.has(i) ? 'best' : ''}">${formatValue(row.metrics[k])}${ciText}</td>`;
        })
        .join('');
      const logCells = logKeys
        .map((k) => `<td class="log10">${formatValue(row.log10?.[k])}</td>`)
        .join('');
      const meanLogCells = meanLogKeys
        .map((k) => {
          const ci = row.extra?.[k]?.log10MeanSeedCi as [number, number] | undefined;
          return `<td class="log10-mean">${formatValue(row.extra?.[k]?.log10Mean as number | undefined)}${ci ? `<span class="ci seed-ci">seeds [${formatValue(ci[0])}, ${formatValue(ci[1])}]</span>` : ''}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(rowLabel(row))}</th><td>${escapeHtml(row.explainer)}</td>${cells}${logCells}${meanLogCells}</tr>`;
    })
    .join('\n');
  return `<table id="results-table"><thead><tr><th>variant</th><th>explainer</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function setupHtml(results: Results): string {
  const rows = setupLines(results)
    .map(
      (l) =>
        `<tr><th>${escapeHtml(l.variant)}</th>${[l.block, l.trainAttack, l.evalAttack, l.measured].map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  const sentence = [results.model ? `Model ${results.model}.` : '', evaluationSentence(results)]
    .filter(Boolean)
    .join(' ');
  return `<h2>Setup</h2><p class="meta">${escapeHtml(sentence)}</p><table id="setup"><thead><tr><th>variant</th><th>FMS block</th><th>training attack</th><th>evaluation attack</th><th>images measured</th></tr></thead><tbody>${rows}</tbody></table>`;
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
  return [
    ...plots.map((svg) => `<figure class="plot">${svg}</figure>`),
    await ssimSigmaPlotSvg(results),
  ].join('\n');
}

function definitionsHtml(results: Results): string {
  const definitions = Object.entries(results.metricDefinitions ?? {});
  if (!definitions.length) return '';
  const items = definitions
    .map(
      ([k, d]) =>
        `<li><b>${escapeHtml(k)}</b> <span class="dir">${d.higherIsBetter ? '↑ higher is better' : '↓ lower is better'}</span>: ${escapeHtml(d.description)}</li>`,
    )
    .join('');
  return `<h2>Metrics</h2><ul id="definitions">${items}</ul>`;
}

function timingsHtml(timings: Record<string, number> | null): string {
  if (!timings) return '<p>No timings.json in this folder.</p>';
  const rows = Object.entries(timings)
    .map(([stage, s]) => `<tr><th>${escapeHtml(stage)}</th><td>${s.toFixed(1)} s</td></tr>`)
    .join('');
  return `<table id="timings"><thead><tr><th>stage</th><th>seconds</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function curvesHtml(curves: Record<string, CurvePoint[]> | null): Promise<string> {
  if (!curves || Object.values(curves).every((c) => c.length === 0))
    return '<p>No training curves were recorded for this run.</p>';
  return `<div class="plots" id="curves">${await curvesPlotSvg(curves)}</div>`;
}

/**
 * Writes `report.html` into a results folder: self-contained (images and plots
 * inlined), with the table (95% CIs, log10 of the stability ratios, best marked
 * where CIs separate), each metric's definition and direction, findings, the
 * training curves (`curves.json`), timings per stage (`timings.json`),
 * trade-off plots (and SSIM against the noise σ per variant, where the run
 * measured `ssim`), the heatmap grid of every variant × explainer on the same
 * test images, and the resolved config (`config.json`).
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
  const readJson = <T>(file: string): T | null =>
    existsSync(join(dir, file)) ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as T) : null;
  const timings = readJson<Record<string, number>>('timings.json') ?? results.timings ?? null;
  const config = readJson<Record<string, unknown>>('config.json');
  const curves = readJson<Record<string, CurvePoint[]>>('curves.json');
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
pre#config{background:#f6f8fa;padding:1rem;overflow:auto;font-size:.8rem}#definitions .dir{color:#57606a}
</style></head><body>
<h1>trustgrad report: ${escapeHtml(results.preset)}</h1>
<p class="meta">dataset ${escapeHtml(results.dataset)} · backend ${escapeHtml(results.backend)} · ${results.seeds ? `seeds ${results.seeds.join(', ')}: values are means over seeds, with the per-sample CI and the CI over seeds below` : `seed ${results.seed}`}</p>
<h2>Results</h2>
<p class="meta">Means over the evaluated test images; 95% bootstrap confidence intervals below each value; green marks the best of a column only where its CI is clear of every other row's (↑ higher is better, ↓ lower is better). log10 columns: the mean of log10 of the stability ratios, which span decades.</p>
${tableHtml(results)}
${setupHtml(results)}
${definitionsHtml(results)}
${findings}
<h2>Training curves</h2>
${await curvesHtml(curves)}
<h2>Timings</h2>
${timingsHtml(timings)}
<h2>Trade-offs</h2><div class="plots">${await plotsHtml(results)}</div>
<h2>Saliency maps</h2>
<p class="meta">The same test images explained by every variant and explainer (absolute attribution, channel-summed, per-image normalised).</p>
${heatmapGridHtml(dir, index)}
<h2>Configuration</h2>
<p class="meta">The resolved config of the run (preset, file and overrides merged, every default filled in).</p>
${config ? `<pre id="config">${escapeHtml(JSON.stringify(config, null, 2))}</pre>` : '<p>No config.json in this folder.</p>'}
</body></html>
`;
  const path = join(dir, 'report.html');
  writeAtomic(path, html);
  return path;
}
