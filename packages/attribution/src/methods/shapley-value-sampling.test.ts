import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { shapleyValueSampling } from './shapley-value-sampling';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** z_0 = x_0 · x_1 + x_2 over [b, 2, 2, 1] (pixel 3 unused), z_1 = 0: Shapley values x0x1/2, x0x1/2, x2, 0. */
const interaction = (x: tf.Tensor) =>
  tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0], 4]);
    const [a, b, c] = tf.split(flat, 4, 1);
    return tf.concat([tf.add(tf.mul(a, b), c), tf.zerosLike(a)], 1) as tf.Tensor2D;
  });

describe('shapley-value-sampling', () => {
  it('on an interaction model converges to the exact Shapley values (zero baseline)', () => {
    const x = tf.tensor4d([0.6, 0.9, 0.3, 0.7], [1, 2, 2, 1]);
    const got = explain(shapleyValueSampling, interaction, x, {
      target: 0,
      samples: 400,
    }).dataSync();
    const half = (0.6 * 0.9) / 2;
    // Each of x0, x1 gets x0x1 or 0 by order, so the mean of 400 draws is within 4σ = 4·x0x1/(2·20).
    expect(Math.abs(got[0] - half)).toBeLessThan((4 * half) / 20);
    expect(got[0] + got[1]).toBeCloseTo(0.54, 5);
    expect(got[2]).toBeCloseTo(0.3, 5);
    expect(got[3]).toBeCloseTo(0, 6);
    x.dispose();
  });

  it('is w ⊙ (x − b) on a linear model for any permutation, and complete on a CNN for any batchSize', () => {
    const { model, w } = linearModel(3);
    const x = randomImages([2, 2, 2, 1], 1);
    const baseline = randomImages([2, 2, 1], 2);
    const got = explain(shapleyValueSampling, model, x, {
      target: 1,
      samples: 3,
      baseline,
    }).arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    const bs = (baseline.arraySync() as number[][][]).flat(2);
    for (let s = 0; s < 2; s++) {
      const expected = xs[s].flat(2).map((v, i) => (v - bs[i]) * w[i][1]);
      expect(maxAbsDiff(got[s].flat(2), expected)).toBeLessThan(1e-5);
    }
    const cnn = fmnistCnn({ seed: 2, inputShape: [8, 8, 1], filters: [2, 3], hiddenUnits: 6 });
    const images = randomImages([3, 8, 8, 1], 3);
    const a = explainWithInfo(shapleyValueSampling, cnn, images, {
      patchSize: [2, 2],
      samples: 4,
      seed: 1,
    });
    const b = explainWithInfo(shapleyValueSampling, cnn, images, {
      patchSize: [2, 2],
      samples: 4,
      seed: 1,
      batchSize: 7,
    });
    const c = explain(shapleyValueSampling, cnn, images, {
      patchSize: [2, 2],
      samples: 4,
      seed: 2,
    });
    expect(maxAbsDiff(a.info.completenessGap.dataSync(), [0, 0, 0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(a.attributions.dataSync(), b.attributions.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.attributions.dataSync(), c.dataSync())).toBeGreaterThan(1e-6);
    // Every pixel of a 2×2 patch carries the patch's value.
    const map = a.attributions.arraySync() as number[][][][];
    expect(map[0][0][0][0]).toBe(map[0][1][1][0]);
    tf.dispose([
      x,
      baseline,
      images,
      c,
      a.attributions,
      b.attributions,
      ...Object.values(a.info),
      ...Object.values(b.info),
    ]);
    cnn.dispose();
  });

  it('leaks nothing and rejects bad samples', async () => {
    const { model } = linearModel();
    const x = randomImages([2, 2, 2, 1]);
    expect(
      await countLeakedTensors(() =>
        explainWithInfo(shapleyValueSampling, model, x, { samples: 2, batchSize: 3 }),
      ),
    ).toBe(0);
    expect(() => explain(shapleyValueSampling, model, x, { samples: 0 })).toThrow(
      /samples must be a positive integer/,
    );
    x.dispose();
  });
});
