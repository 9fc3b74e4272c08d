import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { hasNumpy, runPythonReference } from '../testing/python-reference';
import { ssimPlane, structuralSimilarity } from './ssim';

await initBackend({ backend: 'cpu', log: () => {} });

const rng = new SeededRandom(13);
const plane = (h: number, w: number, scale = 1) =>
  Array.from(rng.normalArray(h * w), (v) => scale * v);

/** SSIM of one s×s window, straight from Wang et al.'s formula with sample (co)variances. */
function oneWindow(a: number[], b: number[], dataRange: number): number {
  const n = a.length;
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / n;
  const ua = mean(a);
  const ub = mean(b);
  const cov = (u: number[], v: number[], mu: number, mv: number) =>
    u.reduce((s, t, i) => s + (t - mu) * (v[i] - mv), 0) / (n - 1);
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  return (
    ((2 * ua * ub + c1) * (2 * cov(a, b, ua, ub) + c2)) /
    ((ua * ua + ub * ub + c1) * (cov(a, a, ua, ua) + cov(b, b, ub, ub) + c2))
  );
}

describe('SSIM (scikit-image structural_similarity, uniform window)', () => {
  it('SSIM of a map with itself is 1; of two constant images (2pq + C1)/(p² + q² + C1)', () => {
    const a = plane(9, 8);
    expect(ssimPlane(a, a, 9, 8, { windowSize: 5, dataRange: 2 })).toBe(1);
    const p = 0.3;
    const q = 0.7;
    const c1 = (0.01 * 1) ** 2;
    const got = ssimPlane(new Array(64).fill(p), new Array(64).fill(q), 8, 8, { dataRange: 1 });
    expect(got).toBeCloseTo((2 * p * q + c1) / (p * p + q * q + c1), 12);
  });

  it('a window-sized image is one window of Wang et al.’s formula', () => {
    const a = plane(5, 5);
    const b = a.map((v, i) => 0.6 * v + 0.2 * Math.sin(i));
    expect(ssimPlane(a, b, 5, 5, { windowSize: 5, dataRange: 2 })).toBeCloseTo(
      oneWindow(a, b, 2),
      12,
    );
  });

  it('the batch form averages planes per sample over channels', () => {
    const a = tf.tensor4d(plane(2 * 6 * 7 * 2, 1), [2, 6, 7, 2]);
    const b = tf.tensor4d(plane(2 * 6 * 7 * 2, 1), [2, 6, 7, 2]);
    const da = a.arraySync();
    const db = b.arraySync();
    const per = structuralSimilarity(a, b, { windowSize: 3, dataRange: 4 });
    for (let i = 0; i < 2; i++) {
      let sum = 0;
      for (let c = 0; c < 2; c++) {
        const pa = da[i].flatMap((row) => row.map((px) => px[c]));
        const pb = db[i].flatMap((row) => row.map((px) => px[c]));
        sum += ssimPlane(pa, pb, 6, 7, { windowSize: 3, dataRange: 4 });
      }
      expect(per[i]).toBeCloseTo(sum / 2, 12);
    }
    tf.dispose([a, b]);
  });

  it('rejects even or oversized windows, a bad data range and unknown options', () => {
    const a = plane(4, 4);
    expect(() => ssimPlane(a, a, 4, 4, { windowSize: 4, dataRange: 1 })).toThrow(
      InvalidOptionError,
    );
    expect(() => ssimPlane(a, a, 4, 4, { windowSize: 5, dataRange: 1 })).toThrow(
      /≤ the image sides/,
    );
    expect(() => ssimPlane(a, a, 4, 4, { windowSize: 3, dataRange: 0 })).toThrow(/dataRange/);
    expect(() =>
      ssimPlane(a, a, 4, 4, { windowSize: 3, dataRange: 1, gaussian: true } as never),
    ).toThrow(/no option "gaussian"/);
  });

  it.skipIf(!hasNumpy)(
    'equals an independent NumPy float64 reference on fixed arrays to 1e-10',
    () => {
      const cases = [
        { h: 28, w: 28, win: 5, range: 2, scale: 1e-3 },
        { h: 12, w: 9, win: 7, range: 1, scale: 0.5 },
        { h: 10, w: 10, win: 3, range: 2, scale: 3 },
      ].map(({ h, w, win, range, scale }) => {
        const a = plane(h, w, scale);
        const b = a.map((v) => v + scale * 0.3 * rng.normal());
        return { h, w, a, b, win, data_range: range };
      });
      const want = runPythonReference<number[]>(
        'ssim_reference.py',
        cases.map(({ h, w, a, b, win, data_range }) => ({
          a: Array.from({ length: h }, (_, r) => a.slice(r * w, (r + 1) * w)),
          b: Array.from({ length: h }, (_, r) => b.slice(r * w, (r + 1) * w)),
          win,
          data_range,
        })),
      );
      cases.forEach(({ h, w, a, b, win, data_range }, k) => {
        expect(
          Math.abs(ssimPlane(a, b, h, w, { windowSize: win, dataRange: data_range }) - want[k]),
        ).toBeLessThan(1e-10);
      });
    },
  );
});
