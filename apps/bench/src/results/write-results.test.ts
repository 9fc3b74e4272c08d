import { describe, expect, it } from 'vitest';
import type { Results } from './results-types';
import { bestRows, resultsCsv, resultsMarkdown } from './write-results';

const results: Results = {
  preset: 'smoke',
  dataset: 'fashion-mnist',
  backend: 'wasm',
  seed: 0,
  rows: [
    {
      training: 'standard',
      smoothing: false,
      explainer: 'vg',
      metrics: { cleanAcc: 0.9, gini: 0.4, ris: 12 },
      ci: { cleanAcc: [0.88, 0.92], gini: [0.35, 0.45], ris: [10, 14] },
      log10: { ris: 1.08 },
    },
    {
      training: 'pgd-at',
      smoothing: true,
      explainer: 'vg',
      metrics: { cleanAcc: 0.8, gini: 0.6, ris: 3 },
      ci: { cleanAcc: [0.78, 0.82], gini: [0.55, 0.65], ris: [2, 4] },
      log10: { ris: 0.477 },
    },
  ],
};

describe('results writers', () => {
  it('marks the best row per metric by its direction, only where the CIs separate', () => {
    const best = bestRows(results);
    expect([...best.cleanAcc]).toEqual([0]);
    expect([...best.gini]).toEqual([1]);
    expect([...best.ris]).toEqual([1]); // lower RIS is more stable
    const overlapping: Results = {
      ...results,
      rows: [
        { ...results.rows[0], ci: { ...results.rows[0].ci, gini: [0.35, 0.56] } },
        { ...results.rows[1], ci: { cleanAcc: [0.78, 0.82], gini: [0.55, 0.65] } },
      ],
    };
    const within = bestRows(overlapping);
    expect(within.gini).toBeUndefined(); // 0.6 > 0.4, but the CIs overlap
    expect(within.ris).toBeUndefined(); // no CI on one row: cannot tell
    expect([...within.cleanAcc]).toEqual([0]);
  });

  it('writes a Markdown table with variant labels and bold bests', () => {
    const md = resultsMarkdown(results);
    expect(md).toContain('| variant | explainer | cleanAcc ↑ | gini ↑ | ris ↓ | log10 ris |');
    expect(md).toContain('| ST | vg | **0.900** | 0.400 | 12.000 | 1.080 |');
    expect(md).toContain('| AT+FMS | vg | 0.800 | **0.600** | **3.000** | 0.477 |');
  });

  it('writes CSV with CI columns', () => {
    const csv = resultsCsv(results).trim().split('\n');
    expect(csv[0]).toBe(
      'variant,training,smoothing,explainer,cleanAcc,cleanAcc_ci_low,cleanAcc_ci_high,gini,gini_ci_low,gini_ci_high,ris,ris_ci_low,ris_ci_high,ris_log10',
    );
    expect(csv[2]).toBe('AT+FMS,pgd-at,true,vg,0.8,0.78,0.82,0.6,0.55,0.65,3,2,4,0.477');
  });

  it('quotes CSV fields holding commas or quotes, and reads directions of plugin metrics from the results', () => {
    const plugin: Results = {
      ...results,
      metricDefinitions: { 'my,metric': { description: 'a "plugin"', higherIsBetter: false } },
      rows: [
        {
          training: 'nrat',
          smoothing: false,
          explainer: 'my "vg", tuned',
          label: 'NRAT [structure=group, norm=l1]',
          metrics: { 'my,metric': 2 },
          ci: { 'my,metric': [1.9, 2.1] },
        },
        {
          training: 'nrat',
          smoothing: false,
          explainer: 'vg',
          metrics: { 'my,metric': 1 },
          ci: { 'my,metric': [0.9, 1.1] },
        },
      ],
    };
    const csv = resultsCsv(plugin).trim().split('\n');
    expect(csv[0]).toBe(
      'variant,training,smoothing,explainer,"my,metric","my,metric_ci_low","my,metric_ci_high"',
    );
    expect(csv[1]).toBe(
      '"NRAT [structure=group, norm=l1]",nrat,false,"my ""vg"", tuned",2,1.9,2.1',
    );
    expect([...bestRows(plugin)['my,metric']]).toEqual([1]);
  });
});
