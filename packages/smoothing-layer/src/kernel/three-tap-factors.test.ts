import { describe, expect, it } from 'vitest';
import { threeTapFactors } from './three-tap-factors';

const gaussian = (sigma: number, size: number) => {
  const r = (size - 1) / 2;
  const g = Array.from({ length: size }, (_, t) => Math.exp(-((t - r) ** 2) / (2 * sigma * sigma)));
  const z = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / z);
};
const convolveAll = (factors: number[][]) =>
  factors.reduce(
    (acc, f) => {
      const out = new Array<number>(acc.length + 2).fill(0);
      for (let i = 0; i < acc.length; i++)
        for (let j = 0; j < f.length; j++) out[i + j] += acc[i] * f[j];
      return out;
    },
    [1],
  );

describe('threeTapFactors', () => {
  it('splits Gaussians of 3 to 9 taps into 3-tap stages whose convolution is the kernel', () => {
    for (const [sigma, size] of [
      [0.5, 3],
      [0.8, 5],
      [1, 5],
      [1.5, 7],
      [2, 9],
    ]) {
      const taps = gaussian(sigma, size);
      const factors = threeTapFactors(taps);
      expect(factors, `σ=${sigma}`).not.toBeNull();
      expect(factors?.length).toBe((size - 1) / 2);
      const product = convolveAll(factors ?? []);
      for (let i = 0; i < taps.length; i++) expect(product[i]).toBeCloseTo(taps[i], 12);
    }
  });

  it('declines kernels it cannot split safely', () => {
    expect(threeTapFactors([0, 0, 1, 0, 0])).toBeNull(); // σ → 0: end taps underflowed
    expect(threeTapFactors([0.25, 0.5, 0.25, 0])).toBeNull(); // even length
    expect(threeTapFactors(gaussian(4, 17))).toBeNull(); // gain of the stages too high for float32
  });
});
