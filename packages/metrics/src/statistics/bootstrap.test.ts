import { SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi, quantile } from './bootstrap';

describe('bootstrapMeanCi', () => {
  const values = new SeededRandom(3).normalArray(200, 5, 2);

  it('gives the exact mean and an interval that covers it', () => {
    const { mean, ci } = bootstrapMeanCi(values, { seed: 1 });
    const exact = Array.from(values).reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(exact, 10);
    expect(ci[0]).toBeLessThan(mean);
    expect(ci[1]).toBeGreaterThan(mean);
  });

  it('matches the normal-theory width mean ± 1.96·s/√n within 15%', () => {
    const { mean, ci } = bootstrapMeanCi(values, { seed: 1, resamples: 4000 });
    const n = values.length;
    const s = Math.sqrt(Array.from(values).reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const half = (1.96 * s) / Math.sqrt(n);
    expect((ci[1] - ci[0]) / 2 / half).toBeGreaterThan(0.85);
    expect((ci[1] - ci[0]) / 2 / half).toBeLessThan(1.15);
  });

  it('is seeded: same seed same interval, another seed another', () => {
    expect(bootstrapMeanCi(values, { seed: 7 })).toEqual(bootstrapMeanCi(values, { seed: 7 }));
    expect(bootstrapMeanCi(values, { seed: 7 }).ci).not.toEqual(
      bootstrapMeanCi(values, { seed: 8 }).ci,
    );
  });

  it('gives a zero-width interval for constant values and for one value', () => {
    expect(bootstrapMeanCi([2, 2, 2, 2])).toEqual({ mean: 2, ci: [2, 2] });
    expect(bootstrapMeanCi([0.3])).toEqual({ mean: 0.3, ci: [0.3, 0.3] });
  });

  it('rejects empty input, non-finite values and a bad level', () => {
    expect(() => bootstrapMeanCi([])).toThrow(/empty/);
    expect(() => bootstrapMeanCi([1, Number.NaN])).toThrow(/value 1 is NaN/);
    expect(() => bootstrapMeanCi([1, 2], { level: 95 })).toThrow(/level must be in \(0, 1\)/);
  });

  it('interpolates quantiles linearly', () => {
    expect(quantile([0, 10, 20], 0.25)).toBe(5);
    expect(quantile([0, 10, 20], 1)).toBe(20);
  });
});
