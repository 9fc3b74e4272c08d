import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMOOTHING_PADDINGS } from '../options/smoothing-options';
import { centralDifferences, maxRelativeError } from '../testing/finite-differences';
import { referenceSmoothing } from '../testing/reference-smoothing';
import { gaussianSmooth } from './gaussian-smooth';
import { smoothFeatureMap } from './smooth-feature-map';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const randomMap = (shape: [number, number, number, number], seed: number) =>
  Float32Array.from(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)));

/** Energy of the 2-D DFT of each channel at frequencies above a quarter of the band (max(|u|,|v|) > n/4). */
function highFrequencyEnergy(values: ArrayLike<number>, n: number, channels: number): number {
  let energy = 0;
  for (let c = 0; c < channels; c++) {
    for (let u = 0; u < n; u++) {
      for (let v = 0; v < n; v++) {
        const fu = Math.min(u, n - u);
        const fv = Math.min(v, n - v);
        if (Math.max(fu, fv) <= n / 4) continue;
        let re = 0;
        let im = 0;
        for (let h = 0; h < n; h++) {
          for (let w = 0; w < n; w++) {
            const angle = (-2 * Math.PI * (u * h + v * w)) / n;
            const value = values[(h * n + w) * channels + c];
            re += value * Math.cos(angle);
            im += value * Math.sin(angle);
          }
        }
        energy += re * re + im * im;
      }
    }
  }
  return energy;
}

describe('gaussianSmooth', () => {
  it('matches the formula evaluated loop by loop, for every padding, σ and kernel size', () => {
    const shape: [number, number, number, number] = [2, 7, 6, 3];
    const values = randomMap(shape, 1);
    const x = tf.tensor4d(values, shape);
    for (const padding of SMOOTHING_PADDINGS) {
      for (const [sigma, kernelSize] of [
        [0.7, 3],
        [1, 5],
        [1.5, 5],
        [0.8, 1],
      ] as const) {
        const y = gaussianSmooth(x, sigma, kernelSize, padding);
        expect(y.shape).toEqual(shape);
        const expected = referenceSmoothing(values, shape, sigma, kernelSize, padding);
        expect(maxRelativeError(y.dataSync(), expected)).toBeLessThan(1e-5);
        y.dispose();
      }
    }
    x.dispose();
  });

  it('keeps a constant map constant with reflect and replicate padding (the kernel sums to 1)', () => {
    const x = tf.fill([2, 9, 8, 4], 3.25) as tf.Tensor4D;
    for (const padding of ['reflect', 'replicate'] as const) {
      for (const sigma of [0.5, 1, 2]) {
        const y = smoothFeatureMap(x, { sigma, padding });
        const values = y.dataSync();
        for (const v of values) expect(v).toBeCloseTo(3.25, 5);
        y.dispose();
      }
    }
    // zero padding leaks mass at the border: the corner loses it, the centre keeps it
    const y = smoothFeatureMap(x, { sigma: 1, padding: 'same' });
    const [[corner], [centre]] = [
      tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]).dataSync(),
      tf.slice(y, [0, 4, 4, 0], [1, 1, 1, 1]).dataSync(),
    ];
    expect(corner).toBeLessThan(3.25 * 0.6);
    expect(centre).toBeCloseTo(3.25, 5);
    tf.dispose([x, y]);
  });

  it('σ → 0 is the identity (σ = 0 and σ = 1e-3 with a 5×5 kernel)', () => {
    const shape: [number, number, number, number] = [1, 6, 6, 2];
    const values = randomMap(shape, 2);
    const x = tf.tensor4d(values, shape);
    for (const padding of SMOOTHING_PADDINGS) {
      for (const sigma of [0, 1e-3]) {
        const y = gaussianSmooth(x, sigma, 5, padding);
        expect(Array.from(y.dataSync())).toEqual(Array.from(values));
        y.dispose();
      }
      const y0 = smoothFeatureMap(x, { sigma: 0, padding });
      expect(Array.from(y0.dataSync())).toEqual(Array.from(values));
      y0.dispose();
    }
    x.dispose();
  });

  it('a larger σ leaves less high-frequency energy in a random map', () => {
    const n = 16;
    const channels = 2;
    const values = randomMap([1, n, n, channels], 3);
    const x = tf.tensor4d(values, [1, n, n, channels]);
    const energies = [0, 0.5, 1, 2].map((sigma) => {
      const y = smoothFeatureMap(x, { sigma });
      const e = highFrequencyEnergy(y.dataSync(), n, channels);
      y.dispose();
      return e;
    });
    for (let k = 1; k < energies.length; k++)
      expect(energies[k]).toBeLessThan(energies[k - 1] * 0.7);
    x.dispose();
  });

  it('input gradient matches central finite differences, for every padding and border case', () => {
    // 5×6: the hand-written reflect adjoint; 4×4: its edge case r = n−2; 4×3: r = n−1, the padded fallback
    const shapes: Array<[number, number, number, number]> = [
      [1, 5, 6, 2],
      [1, 4, 4, 1],
      [1, 4, 3, 1],
    ];
    for (const shape of shapes) {
      const values = randomMap(shape, 4);
      const weights = tf.tensor4d(randomMap(shape, 5), shape);
      for (const padding of SMOOTHING_PADDINGS) {
        const loss = (x: tf.Tensor) =>
          tf.sum(tf.mul(weights, tf.square(gaussianSmooth(x as tf.Tensor4D, 1.1, 5, padding))));
        const x = tf.tensor4d(values, shape);
        const g = tf.grad(loss)(x);
        const lossAt = (v: Float32Array) =>
          tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
        const fd = centralDifferences(lossAt, values, 1e-2);
        expect(maxRelativeError(g.dataSync(), fd), `${padding} [${shape}]`).toBeLessThan(2e-3);
        tf.dispose([x, g]);
      }
      weights.dispose();
    }
  });

  it('gradient in σ (as a tensor) matches central finite differences, for every padding', () => {
    const shape: [number, number, number, number] = [1, 6, 6, 2];
    const x = tf.tensor4d(randomMap(shape, 6), shape);
    const w = tf.tensor4d(randomMap(shape, 7), shape);
    for (const padding of SMOOTHING_PADDINGS) {
      const loss = (s: tf.Tensor) =>
        tf.sum(tf.mul(w, tf.square(gaussianSmooth(x, s as tf.Scalar, 5, padding))));
      const sigma = 0.9;
      const g = tf.grad(loss)(tf.scalar(sigma)).dataSync()[0];
      const at = (s: number) => tf.tidy(() => loss(tf.scalar(s))).dataSync()[0];
      const eps = 1e-2;
      const fd = (at(sigma + eps) - at(sigma - eps)) / (2 * eps);
      expect(Math.abs(g), padding).toBeGreaterThan(1e-3);
      expect(Math.abs(g - fd), padding).toBeLessThan(3e-3 * Math.max(1, Math.abs(fd)));
    }
    tf.dispose([x, w]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    for (const padding of SMOOTHING_PADDINGS) {
      // the first call caches the filters and edge weights (kept on purpose)
      tf.grad((v: tf.Tensor) => tf.sum(smoothFeatureMap(v as tf.Tensor4D, { sigma: 1, padding })))(
        x,
      ).dispose();
      await assertNoLeaks(() => smoothFeatureMap(x, { sigma: 1, padding }), `forward ${padding}`);
      await assertNoLeaks(
        () =>
          tf.grad((v: tf.Tensor) =>
            tf.sum(smoothFeatureMap(v as tf.Tensor4D, { sigma: 1, padding })),
          )(x),
        `backward ${padding}`,
      );
    }
    x.dispose();
  });

  it('rejects bad options and non-4-D input with what to do', () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => smoothFeatureMap(x, { sigma: -1 })).toThrow(/sigma must be a finite number ≥ 0/);
    expect(() => smoothFeatureMap(x, { kernelSize: 4 })).toThrow(/odd integer/);
    expect(() => smoothFeatureMap(x, { padding: 'circular' as never })).toThrow(
      /reflect, same, replicate/,
    );
    expect(() => smoothFeatureMap(x, { sigma: 2 })).toThrow(/reflect padding by 4.*4×4/);
    const flat = tf.zeros([2, 8]);
    expect(() => smoothFeatureMap(flat as never, {})).toThrow(/rank 2/);
    tf.dispose([x, flat]);
  });
});
