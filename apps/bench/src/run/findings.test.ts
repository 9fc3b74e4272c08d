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
