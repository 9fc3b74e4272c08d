import { describe, expect, it } from 'vitest';
import { log10OfMean, log10OfMeanOverBatches } from './log10-mean';

describe('log10 of the mean (the FMS authors’ ROS summary)', () => {
  it('is the log of the mean, not the mean of the logs', () => {
    expect(log10OfMean([1, 100])).toBeCloseTo(Math.log10(50.5), 12);
    expect(log10OfMean([0, 0])).toBe(-12);
  });

  it('averages per-batch nanmeans: batches of 2 over samples 0–4, sample 1 and batch {2, 3} NaN', () => {
    // Batches {0, 1} → mean 10 (sample 1 NaN), {2, 3} → no value (skipped), {4} → 1000.
    const got = log10OfMeanOverBatches([10, 1000], [0, 4], 2);
    expect(got).toBeCloseTo(Math.log10((10 + 1000) / 2), 12);
    expect(log10OfMeanOverBatches([10, 30, 1000], [0, 1, 4], 2)).toBeCloseTo(
      Math.log10((20 + 1000) / 2),
      12,
    );
  });
});
