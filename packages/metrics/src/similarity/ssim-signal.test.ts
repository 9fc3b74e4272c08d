import { SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { hasNumpy, runPythonReference } from '../testing/python-reference';
import { ssimSignal } from './ssim';

const rng = new SeededRandom(29);

describe('ssimSignal (scikit-image SSIM of 1-D signals, Quantus ssim)', () => {
  it('is 1 for a signal with itself and for two equal constants; a window-long signal is one window', () => {
    const a = Array.from(rng.normalArray(20));
    expect(ssimSignal(a, a)).toBeCloseTo(1, 12);
    expect(ssimSignal([2, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2, 2])).toBe(1);
    // One window of 7: a = 0…6, b = 6…0 (cov −σ², σ² = 28/6), L = 6.
    const up = [0, 1, 2, 3, 4, 5, 6];
    const down = [6, 5, 4, 3, 2, 1, 0];
    const c1 = (0.01 * 6) ** 2;
    const c2 = (0.03 * 6) ** 2;
    const v = 28 / 6;
    expect(ssimSignal(up, down)).toBeCloseTo(
      ((2 * 9 + c1) * (-2 * v + c2)) / ((18 + c1) * (2 * v + c2)),
      12,
    );
  });

  it.skipIf(!hasNumpy)(
    'matches the NumPy reference (data range of the pair, and a given one)',
    () => {
      const cases = [
        {
          a: Array.from(rng.normalArray(16)),
          b: Array.from(rng.normalArray(16)),
          win: 7,
          data_range: null,
        },
        {
          a: Array.from(rng.uniformArray(30)),
          b: Array.from(rng.uniformArray(30)),
          win: 5,
          data_range: 2,
        },
      ];
      const want = runPythonReference<number[]>('ssim_reference.py', cases);
      expect(ssimSignal(cases[0].a, cases[0].b)).toBeCloseTo(want[0], 6);
      expect(ssimSignal(cases[1].a, cases[1].b, { windowSize: 5, dataRange: 2 })).toBeCloseTo(
        want[1],
        6,
      );
    },
  );
});
