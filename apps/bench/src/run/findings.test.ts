import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../results/results-types';
import { checkPaperDirections } from './findings';

const row = (
  training: string,
  smoothing: boolean,
  gini: number,
  ris: number,
  ci: Record<string, [number, number]>,
): ResultRow => ({
  training,
  smoothing,
  explainer: 'vg',
  metrics: { gini, ris },
  ci,
});

describe('checkPaperDirections', () => {
  it('reports each FMS direction with its numbers, held or not, and flags overlapping CIs', () => {
    const findings = checkPaperDirections([
      row('standard', false, 0.5, 1, { gini: [0.49, 0.51], ris: [0.9, 1.1] }),
      row('pgd-at', false, 0.7, 2, { gini: [0.69, 0.71], ris: [1.5, 2.5] }),
      row('pgd-at', true, 0.695, 2.2, { gini: [0.685, 0.705], ris: [1.8, 2.6] }),
    ]);
    expect(findings).toEqual([
      'vg: AT Gini 0.700 > ST Gini 0.500 — expected AT sparser: holds',
      'vg: AT+FMS Gini 0.695 vs AT 0.700 — expected within noise or above: holds',
      'vg: AT+FMS RIS 2.20 ≥ AT 2.00 — expected AT+FMS more stable: DOES NOT hold (the 95% CIs overlap: the difference is within noise)',
    ]);
  });
});

describe("checkPaperDirections with the authors' metrics", () => {
  it('compares every AT+FMS row of an ε sweep with AT on log10 ROS (seed CIs) and SSIM, NaN as n/a', () => {
    const base = (
      label: string,
      smoothing: boolean,
      ssim: number,
      log10Mean: number,
      seedCi: [number, number],
    ): ResultRow => ({
      training: 'pgd-at',
      smoothing,
      explainer: 'vg',
      label,
      metrics: { gini: 0.6, ros: 10 ** log10Mean, ssim },
      ci: { gini: [0.55, 0.65], ssim: [ssim - 0.01, ssim + 0.01] },
      extra: { ros: { log10Mean, log10MeanSeedCi: seedCi } },
    });
    const findings = checkPaperDirections([
      base('AT', false, 0.5, 4, [3.9, 4.1]),
      base('AT+FMS [ε=0.1]', true, 0.6, 3, [2.9, 3.1]),
      base('AT+FMS [ε=0.01]', true, Number.NaN, 4.05, [3.8, 4.3]),
    ]);
    expect(findings).toEqual([
      'vg: AT+FMS [ε=0.1] Gini 0.600 vs AT 0.600 — expected within noise or above: holds',
      'vg: AT+FMS [ε=0.1] log10 ROS 3.00 < AT 4.00 — expected AT+FMS more stable: holds',
      'vg: AT+FMS [ε=0.1] SSIM 0.600 > AT 0.500 — expected AT+FMS more stable: holds',
      'vg: AT+FMS [ε=0.01] Gini 0.600 vs AT 0.600 — expected within noise or above: holds',
      'vg: AT+FMS [ε=0.01] log10 ROS 4.05 ≥ AT 4.00 — expected AT+FMS more stable: DOES NOT hold (the 95% CIs overlap: the difference is within noise)',
      'vg: AT+FMS [ε=0.01] SSIM n/a vs AT 0.500 — cannot be judged: the metric has no value on AT+FMS [ε=0.01] (reason in results.json)',
    ]);
  });
});
