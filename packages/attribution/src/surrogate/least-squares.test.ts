import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/fixtures';
import { weightedLeastSquares } from './least-squares';

describe('weightedLeastSquares', () => {
  it('recovers an exact weighted linear fit with its intercept', () => {
    const rows = [
      [0, 1, 2],
      [1, 0, 1],
      [2, 2, 0],
      [3, 1, 1],
      [1, 3, 2],
    ];
    const y = rows.map(([a, b, c]) => 2 + 3 * a - b + 0.5 * c);
    const w = [1, 2, 0.5, 1, 3];
    const { coefficients, intercept } = weightedLeastSquares(
      Float64Array.from(rows.flat()),
      Float64Array.from(y),
      Float64Array.from(w),
      5,
      3,
    );
    expect(maxAbsDiff(coefficients, [3, -1, 0.5])).toBeLessThan(1e-10);
    expect(intercept).toBeCloseTo(2, 10);
  });

  it('weights the fit: a heavy point is matched, an overdetermined fit minimises the weighted error', () => {
    // y = x except one outlier; with a huge weight on the outlier the line passes through it.
    const x = Float64Array.from([0, 1, 2, 3]);
    const y = Float64Array.from([0, 1, 2, 10]);
    const heavy = weightedLeastSquares(x, y, Float64Array.from([1, 1, 1, 1e8]), 4, 1);
    expect(heavy.coefficients[0] * 3 + heavy.intercept).toBeCloseTo(10, 5);
    const plain = weightedLeastSquares(x, y, Float64Array.from([1, 1, 1, 1]), 4, 1);
    // Ordinary least squares slope: Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² = 15.5 / 5.
    expect(plain.coefficients[0]).toBeCloseTo(3.1, 10);
  });

  it('gives the minimum-norm solution when there are fewer samples than features (as lstsq)', () => {
    // Two points: the centred rows are ±(x1 − x2)/2, so β ∥ (x1 − x2) and β·(x1 − x2) = y1 − y2.
    const x1 = [1, 2, 0, -1];
    const x2 = [0, 1, 1, 1];
    const { coefficients, intercept } = weightedLeastSquares(
      Float64Array.from([...x1, ...x2]),
      Float64Array.from([5, 2]),
      Float64Array.from([1, 1]),
      2,
      4,
    );
    const d = x1.map((v, i) => v - x2[i]);
    const norm = d.reduce((a, v) => a + v * v, 0);
    expect(
      maxAbsDiff(
        coefficients,
        d.map((v) => (3 * v) / norm),
      ),
    ).toBeLessThan(1e-10);
    expect(x1.reduce((a, v, i) => a + v * coefficients[i], intercept)).toBeCloseTo(5, 10);
  });
});
