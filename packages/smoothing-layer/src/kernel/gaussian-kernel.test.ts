import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultKernelSize, gaussianKernel1d, gaussianKernel2d } from './gaussian-kernel';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('gaussian kernel', () => {
  it('default size is 2·ceil(2σ)+1', () => {
    expect(defaultKernelSize(0)).toBe(1);
    expect(defaultKernelSize(0.3)).toBe(3);
    expect(defaultKernelSize(1)).toBe(5);
    expect(defaultKernelSize(1.2)).toBe(7);
    expect(defaultKernelSize(2)).toBe(9);
  });

  it('2-D kernel equals exp(-(i²+j²)/(2σ²))/Z and sums to 1', () => {
    const sigma = 1.3;
    const size = 7;
    const k = gaussianKernel2d(sigma, size);
    const values = k.arraySync();
    let z = 0;
    for (let i = -3; i <= 3; i++)
      for (let j = -3; j <= 3; j++) z += Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
    for (let i = -3; i <= 3; i++) {
      for (let j = -3; j <= 3; j++) {
        expect(values[i + 3][j + 3]).toBeCloseTo(
          Math.exp(-(i * i + j * j) / (2 * sigma * sigma)) / z,
          6,
        );
      }
    }
    expect(tf.sum(k).dataSync()[0]).toBeCloseTo(1, 6);
    expect(values[0][6]).toBeCloseTo(values[6][0], 7);
    k.dispose();
  });

  it('σ→0 gives the delta, σ=0 included (no NaN)', () => {
    for (const sigma of [0, 1e-9, 1e-3, 0.05]) {
      const k = gaussianKernel1d(sigma, 5);
      expect(Array.from(k.dataSync())).toEqual([0, 0, 1, 0, 0]);
      k.dispose();
    }
  });

  it('is differentiable in σ: d/dσ of the centre tap matches finite differences', () => {
    const centre = (s: tf.Tensor) =>
      tf.slice(gaussianKernel1d(s as tf.Scalar, 5), [2], [1]).sum() as tf.Scalar;
    const sigma = 0.9;
    const g = tf.grad(centre)(tf.scalar(sigma));
    const eps = 1e-3;
    const f = (s: number) => {
      const v = centre(tf.scalar(s));
      const out = v.dataSync()[0];
      v.dispose();
      return out;
    };
    const fd = (f(sigma + eps) - f(sigma - eps)) / (2 * eps);
    expect(g.dataSync()[0]).toBeLessThan(0);
    expect(g.dataSync()[0]).toBeCloseTo(fd, 3);
    g.dispose();
  });
});
