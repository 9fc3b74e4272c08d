import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { kernelShap } from './kernel-shap';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** z_0 = x_0 · x_1 + x_2 over [b, 2, 2, 1] (pixel 3 unused): Shapley values x0x1/2, x0x1/2, x2, 0 (zero baseline). */
const interaction = (x: tf.Tensor) =>
  tf.tidy(() => {
    const [a, b, c] = tf.split(tf.reshape(x, [x.shape[0], 4]), 4, 1);
    return tf.concat([tf.add(tf.mul(a, b), c), tf.zerosLike(a)], 1) as tf.Tensor2D;
  });

describe('kernel-shap', () => {
  it('recovers w ⊙ (x − b) exactly on a linear model', () => {
    const { model, w } = linearModel(8);
    const x = randomImages([2, 2, 2, 1], 3);
    const baseline = randomImages([2, 2, 1], 4);
    const got = explain(kernelShap, model, x, {
      target: 0,
      baseline,
    }).arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    const bs = (baseline.arraySync() as number[][][]).flat(2);
    for (let s = 0; s < 2; s++) {
      const expected = xs[s].flat(2).map((v, i) => (v - bs[i]) * w[i][0]);
      expect(maxAbsDiff(got[s].flat(2), expected)).toBeLessThan(1e-4);
    }
    tf.dispose([x, baseline]);
  });

  it('tends to the Shapley values of an interaction model, and meets f(x) − f(b) at the end points', () => {
    const x = tf.tensor4d([0.6, 0.9, 0.3, 0.7], [1, 2, 2, 1]);
    const got = explain(kernelShap, interaction, x, {
      target: 0,
      samples: 3000,
      batchSize: 500,
    }).dataSync();
    const half = (0.6 * 0.9) / 2;
    expect(Math.abs(got[0] - half)).toBeLessThan(0.02);
    expect(Math.abs(got[1] - half)).toBeLessThan(0.02);
    expect(Math.abs(got[2] - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(got[3])).toBeLessThan(0.02);
    expect(got[0] + got[1] + got[2] + got[3]).toBeCloseTo(0.84, 3); // f(x) − f(0), the heavy end points
    x.dispose();
  });

  it('is seeded, does not depend on batchSize, spreads a group value over its patch, and leaks nothing', async () => {
    const model = fmnistCnn({ seed: 3, inputShape: [8, 8, 1], filters: [2, 3], hiddenUnits: 6 });
    const x = randomImages([2, 8, 8, 1], 5);
    const opts = { patchSize: [4, 4] as [number, number], samples: 12, seed: 2 };
    const a = explain(kernelShap, model, x, { ...opts, batchSize: 64 });
    const b = explain(kernelShap, model, x, { ...opts, batchSize: 5 });
    const c = explain(kernelShap, model, x, { ...opts, seed: 3 });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.dataSync(), c.dataSync())).toBeGreaterThan(1e-7);
    const map = a.arraySync() as number[][][][];
    expect(map[1][0][0][0]).toBe(map[1][3][3][0]);
    expect(
      await countLeakedTensors(() => explain(kernelShap, model, x, { ...opts, batchSize: 5 })),
    ).toBe(0);
    expect(() => explain(kernelShap, model, x, { samples: 1 })).toThrow(
      /samples must be an integer ≥ 2/,
    );
    tf.dispose([x, a, b, c]);
    model.dispose();
  });
});
