import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributionEntropy, complexity } from './complexity-entropy';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('complexity (Quantus Complexity: entropy of |a| / Σ|a|)', () => {
  it('gives ln d uniform, ≈ 0 one-hot, the hand-computed entropy of [1, −3], ln d for all-zero', () => {
    const h = attributionEntropy(
      tf.tensor2d([
        [0.5, 0.5, 0.5, 0.5],
        [0, 0, -7, 0],
        [1, 0, -3, 0],
        [0, 0, 0, 0],
      ]),
    ).dataSync();
    expect(h[0]).toBeCloseTo(Math.log(4), 6);
    expect(Math.abs(h[1])).toBeLessThan(1e-6);
    // p = [0.25, 0.75]: −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.562335
    expect(h[2]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 6);
    expect(h[3]).toBeCloseTo(Math.log(4), 6);
  });

  it('evaluates per sample over h·w·c (lower is better), scale-free, without leaks', async () => {
    const explanations = tf.tensor4d([1, 1, 1, 1, 0, 2, 0, 6], [2, 2, 1, 2]);
    const scaled = tf.mul(explanations, 1000) as tf.Tensor4D;
    const r = await complexity.evaluate({ explanations });
    expect(r.values[0]).toBeCloseTo(Math.log(4), 6);
    expect(r.values[1]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 6);
    expect(r.higherIsBetter).toBe(false);
    const big = await complexity.evaluate({ explanations: scaled });
    expect(big.values[1]).toBeCloseTo(r.values[1], 5);
    await assertNoLeaks(() => complexity.evaluate({ explanations }), 'complexity');
    tf.dispose([explanations, scaled]);
  });
});
