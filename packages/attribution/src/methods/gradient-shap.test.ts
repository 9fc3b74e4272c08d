import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, explainWithInfo } from '../index';
import { linearModel, maxAbsDiff, quadraticModel, randomImages } from '../testing/fixtures';
import { gradientShap } from './gradient-shap';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('gradient-shap', () => {
  it('on a linear model sums to f(x) − mean f(drawn baselines) exactly (stdevs 0)', () => {
    const { model } = linearModel(6);
    const x = randomImages([3, 2, 2, 1], 1);
    const pool = randomImages([4, 2, 2, 1], 2); // a distribution of 4 baselines
    const { attributions, info } = explainWithInfo(gradientShap, model, x, {
      baselines: pool,
      samples: 7,
      target: [0, 1, 2],
    });
    expect(maxAbsDiff(info.completenessGap.dataSync(), [0, 0, 0])).toBeLessThan(1e-5);
    // The drawn baselines differ between samples, so Δf is not f(x) − f(one baseline).
    const spread = tf.tidy(() => tf.moments(info.outputDifference).variance.dataSync()[0]);
    expect(spread).toBeGreaterThan(0);
    tf.dispose([x, pool, attributions, info.completenessGap, info.outputDifference]);
  });

  it('on a quadratic model converges to the expected-gradients value a ⊙ (x² − b²)', () => {
    const { model, a } = quadraticModel();
    const x = tf.tensor4d([0.2, 0.9, 0.5, 0.7], [1, 2, 2, 1]);
    const baseline = tf.tensor3d([0.1, 0.3, 0.6, 0.2], [2, 2, 1]);
    const n = 4000;
    const attr = explain(gradientShap, model, x, {
      baselines: baseline,
      samples: n,
      target: 1,
      batchSize: 512,
    }).dataSync();
    const xs = x.dataSync();
    const bs = baseline.dataSync();
    for (let i = 0; i < 4; i++) {
      // A_i = 2a(b + α(x − b))(x − b), α ~ U(0, 1): mean a(x² − b²), sd 2|a|(x − b)²/√12.
      const expected = a[i][1] * (xs[i] ** 2 - bs[i] ** 2);
      const sd = (2 * Math.abs(a[i][1]) * (xs[i] - bs[i]) ** 2) / Math.sqrt(12);
      expect(Math.abs(attr[i] - expected)).toBeLessThan((4 * sd) / Math.sqrt(n) + 1e-6);
    }
    tf.dispose([x, baseline]);
  });

  it('is seeded, independent of batchSize, adds noise with stdevs, and leaks nothing', async () => {
    const model = fmnistCnn({ seed: 2, inputShape: [8, 8, 1], filters: [2, 3], hiddenUnits: 6 });
    const x = randomImages([2, 8, 8, 1], 3);
    const pool = randomImages([5, 8, 8, 1], 4);
    const opts = { baselines: pool, samples: 6, stdevs: 0.1, seed: 3 };
    const a = explain(gradientShap, model, x, { ...opts, batchSize: 64 }).dataSync();
    const b = explain(gradientShap, model, x, { ...opts, batchSize: 3 }).dataSync();
    const c = explain(gradientShap, model, x, { ...opts, seed: 4 }).dataSync();
    const quiet = explain(gradientShap, model, x, { ...opts, stdevs: 0 }).dataSync();
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(a, quiet)).toBeGreaterThan(1e-4);
    expect(
      await countLeakedTensors(() =>
        explainWithInfo(gradientShap, model, x, { ...opts, batchSize: 5 }),
      ),
    ).toBe(0);
    expect(() => explain(gradientShap, model, x, { baselines: tf.zeros([3, 4, 4, 1]) })).toThrow(
      /baseline distribution is \[n, 8, 8, 1\]/,
    );
    expect(() => explain(gradientShap, model, x, { stdevs: -1 })).toThrow(/stdevs must be ≥ 0/);
    tf.dispose([x, pool]);
    model.dispose();
  });
});
