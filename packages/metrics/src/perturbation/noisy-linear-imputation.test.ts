import { InvalidOptionError, SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { noisyLinearImputation } from './noisy-linear-imputation';

const h = 5;
const w = 4;
const c = 2;
const image = Array.from(new SeededRandom(3).uniformArray(h * w * c));
const removed = [0, 1, 5, 6, 7, 13, 18, 19]; // corners, edges and an interior block

/** Weighted mean of the in-image 8-neighbours of pixel p in `img` (channel ch), weights 1/6 and 1/12. */
function neighbourMean(img: ArrayLike<number>, p: number, ch: number): number {
  const r = Math.floor(p / w);
  const q = p % w;
  let sum = 0;
  let weights = 0;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      if ((dr === 0 && dc === 0) || r + dr < 0 || q + dc < 0 || r + dr >= h || q + dc >= w)
        continue;
      const weight = dr === 0 || dc === 0 ? 1 / 6 : 1 / 12;
      sum += weight * img[((r + dr) * w + q + dc) * c + ch];
      weights += weight;
    }
  }
  return sum / weights;
}

/** Dense Gaussian elimination with partial pivoting. */
function denseSolve(a: number[][], b: number[]): number[] {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < m; k++) {
    let best = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(A[i][k]) > Math.abs(A[best][k])) best = i;
    [A[k], A[best]] = [A[best], A[k]];
    for (let i = k + 1; i < m; i++) {
      const f = A[i][k] / A[k][k];
      for (let j = k; j <= m; j++) A[i][j] -= f * A[k][j];
    }
  }
  const x = new Array(m).fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let s = A[i][m];
    for (let j = i + 1; j < m; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

describe('noisy linear imputation (ROAD, Quantus noisy_linear_imputation)', () => {
  const out = noisyLinearImputation(image, h, w, c, removed, 0, new SeededRandom(0));

  it('without noise every removed pixel is the weighted mean of its neighbours; kept pixels are unchanged', () => {
    for (let p = 0; p < h * w; p++) {
      for (let ch = 0; ch < c; ch++) {
        if (removed.includes(p)) {
          expect(Math.abs(out[p * c + ch] - neighbourMean(out, p, ch))).toBeLessThan(1e-10);
        } else {
          expect(out[p * c + ch]).toBe(image[p * c + ch]);
        }
      }
    }
  });

  it('equals a dense solve of the same linear system', () => {
    // Unknown v_k: v_k − Σ_j (w_j / W) v_j = Σ_kept (w_j / W) x_j, with W the sum of in-image weights.
    for (let ch = 0; ch < c; ch++) {
      const a = removed.map(() => new Array(removed.length).fill(0));
      const b = new Array(removed.length).fill(0);
      removed.forEach((p, k) => {
        a[k][k] = 1;
        const r = Math.floor(p / w);
        const q = p % w;
        let total = 0;
        const terms: [number, number][] = [];
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const qq = q + dc;
            if ((dr === 0 && dc === 0) || rr < 0 || qq < 0 || rr >= h || qq >= w) continue;
            const weight = dr === 0 || dc === 0 ? 1 / 6 : 1 / 12;
            total += weight;
            terms.push([rr * w + qq, weight]);
          }
        }
        for (const [j, weight] of terms) {
          const v = removed.indexOf(j);
          if (v >= 0) a[k][v] -= weight / total;
          else b[k] += (weight / total) * image[j * c + ch];
        }
      });
      const x = denseSolve(a, b);
      removed.forEach((p, k) => expect(Math.abs(out[p * c + ch] - x[k])).toBeLessThan(1e-10));
    }
  });

  it('adds noise·N(0, 1) to each imputed value, channel-major draws from the given generator', () => {
    const noisy = noisyLinearImputation(image, h, w, c, removed, 0.01, new SeededRandom(5));
    const z = new SeededRandom(5).normalArray(removed.length * c);
    removed.forEach((p, k) => {
      for (let ch = 0; ch < c; ch++) {
        expect(noisy[p * c + ch] - out[p * c + ch]).toBeCloseTo(
          0.01 * z[ch * removed.length + k],
          7,
        );
      }
    });
  });

  it('a flat image stays flat; nothing removed is a copy; all removed or repeated pixels fail', () => {
    const flat = new Array(h * w).fill(0.25);
    const filled = noisyLinearImputation(flat, h, w, 1, removed, 0, new SeededRandom(0));
    for (const v of filled) expect(v).toBeCloseTo(0.25, 12);
    expect(Array.from(noisyLinearImputation(image, h, w, c, [], 0.5, new SeededRandom(0)))).toEqual(
      image,
    );
    const all = Array.from({ length: h * w }, (_, i) => i);
    expect(() => noisyLinearImputation(flat, h, w, 1, all, 0, new SeededRandom(0))).toThrow(
      InvalidOptionError,
    );
    expect(() => noisyLinearImputation(flat, h, w, 1, [3, 3], 0, new SeededRandom(0))).toThrow(
      /repeated/,
    );
  });
});
