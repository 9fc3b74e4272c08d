import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../results/results-types';
import { aggregateSeeds, meanWithTInterval, studentT975 } from './aggregate-seeds';

const row = (gini: number, ci: [number, number], log10: number): ResultRow => ({
  training: 'pgd-at',
  smoothing: false,
  explainer: 'vg',
  metrics: { gini, ris: 10 ** log10 },
  ci: { gini: ci },
  log10: { ris: log10 },
});

describe('aggregateSeeds', () => {
  it('t-interval over seeds: by hand for 0.5, 0.6, 0.7 (sd 0.1, t₂ = 4.303)', () => {
    const { mean, ci } = meanWithTInterval([0.5, 0.6, 0.7]);
    expect(mean).toBeCloseTo(0.6, 12);
    const half = (4.303 * 0.1) / Math.sqrt(3);
    expect(ci[0]).toBeCloseTo(0.6 - half, 12);
    expect(ci[1]).toBeCloseTo(0.6 + half, 12);
    expect(studentT975(30)).toBeCloseTo(2.042, 2); // tables: 2.0423
  });

  it('folds rows per seed into means, seed CIs, per-seed values and averaged per-sample CIs', () => {
    const [r] = aggregateSeeds([
      [row(0.5, [0.4, 0.6], 1)],
      [row(0.6, [0.5, 0.7], 2)],
      [row(0.7, [0.6, 0.8], 3)],
    ]);
    expect(r.metrics.gini).toBeCloseTo(0.6, 12);
    expect(r.seedValues?.gini).toEqual([0.5, 0.6, 0.7]);
    expect(r.ci?.gini[0]).toBeCloseTo(0.5, 12);
    expect(r.ci?.gini[1]).toBeCloseTo(0.7, 12);
    expect(r.ci?.ris).toBeUndefined();
    expect(r.log10?.ris).toBeCloseTo(2, 12);
    expect(r.seedCi!.gini[1] - r.seedCi!.gini[0]).toBeCloseTo((2 * 4.303 * 0.1) / Math.sqrt(3), 12);
  });

  it('folds ROS log10Mean and SSIM bySigma over seeds: means, t-intervals, per-seed values', () => {
    const withExtra = (log10Mean: number, ssim: (number | null)[]): ResultRow => ({
      ...row(0.5, [0.4, 0.6], 1),
      extra: {
        ros: { log10Mean },
        ssim: {
          bySigma: ssim.map((mean, k) => ({
            sigma: [0.01, 0.2][k],
            mean,
            count: mean === null ? 0 : 4,
          })),
        },
      },
    });
    const [r] = aggregateSeeds([
      [withExtra(3, [0.9, 0.5])],
      [withExtra(4, [0.8, null])],
      [withExtra(5, [0.7, 0.3])],
    ]);
    expect(r.extra?.ros.log10Mean).toBeCloseTo(4, 12);
    expect(r.extra?.ros.log10MeanSeedValues).toEqual([3, 4, 5]);
    const ci = r.extra?.ros.log10MeanSeedCi as [number, number];
    expect(ci[1] - ci[0]).toBeCloseTo((2 * 4.303 * 1) / Math.sqrt(3), 10);
    const bySigma = r.extra?.ssim.bySigma as {
      mean: number;
      seedValues: (number | null)[];
      count: number;
    }[];
    expect(bySigma[0].mean).toBeCloseTo(0.8, 12);
    // A seed that kept no copy at σ = 0.2 is left out of that σ's mean, not counted as 0.
    expect(bySigma[1].mean).toBeCloseTo(0.4, 12);
    expect(bySigma[1].seedValues).toEqual([0.5, null, 0.3]);
    expect(bySigma[1].count).toBe(8);
  });
});
