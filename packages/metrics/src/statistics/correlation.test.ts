import { InvalidOptionError } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { averageRanks, correlation, pearson, spearman } from './correlation';

describe('pearson, spearman (scipy pearsonr / spearmanr statistics)', () => {
  it('match hand computations', () => {
    // a = [1, 2, 3, 4], b = [2, 1, 4, 3]: Σdadb = 3, Σda² = Σdb² = 5 → 0.6.
    expect(pearson([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6, 12);
    expect(pearson([1, 2, 3], [-2, -4, -6])).toBeCloseTo(-1, 12);
    // Monotone but not linear: Spearman 1, Pearson below 1.
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [1, 8, 27, 1000])).toBeLessThan(0.9);
  });

  it('gives ties their average rank (rankdata average) and 0 for a constant series', () => {
    expect(Array.from(averageRanks([10, 20, 10, 30, 20]))).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
    // ranks a = [1.5, 1.5, 3], b = [1, 2, 3]: Pearson of the ranks = 0.866025.
    expect(spearman([5, 5, 9], [1, 2, 3])).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(spearman([1, 2, 3], [4, 4, 4])).toBe(0);
    expect(() => correlation('kendall' as never)).toThrow(InvalidOptionError);
  });
});
