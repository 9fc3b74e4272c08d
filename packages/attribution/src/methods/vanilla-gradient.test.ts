import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, quadraticModel, randomImages } from '../testing/fixtures';
import { gradientTimesInput } from './gradient-x-input';
import { vanillaGradient } from './vanilla-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('vanillaGradient', () => {
  it('equals the weights of a linear model for the target class', () => {
    const { model, w } = linearModel();
    const x = randomImages([3, 2, 2, 1]);
    const attr = explain(vanillaGradient, model, x, { target: [0, 2, 1] });
    const got = attr.arraySync() as number[][][][];
    [0, 2, 1].forEach((t, s) => {
      const flat = got[s].flat(2);
      expect(
        maxAbsDiff(
          flat,
          w.map((row) => row[t]),
        ),
      ).toBeLessThan(1e-6);
    });
    tf.dispose([x, attr]);
  });

  it('equals 2·a_t ⊙ x for a quadratic model, and defaults to the predicted class', () => {
    const { model, a } = quadraticModel();
    const x = randomImages([4, 2, 2, 1], 3);
    const logits = model(x).arraySync();
    const attr = explain('vg', model, x).arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    for (let s = 0; s < 4; s++) {
      const t = logits[s][0] >= logits[s][1] ? 0 : 1;
      const expected = xs[s].flat(2).map((v, i) => 2 * a[i][t] * v);
      expect(maxAbsDiff(attr[s].flat(2), expected)).toBeLessThan(1e-6);
    }
    x.dispose();
  });

  it("explains 'prob' and 'loss' with their analytic gradients (p_t(w_t − Σp_j w_j) and Σ(p_j − 1[j=t]) w_j)", () => {
    const { model, w } = linearModel(5);
    const x = randomImages([2, 2, 2, 1], 7);
    const p = tf.softmax(model(x)).arraySync();
    const prob = explain(vanillaGradient, model, x, {
      target: 1,
      output: 'prob',
    }).arraySync() as number[][][][];
    const loss = explain(vanillaGradient, model, x, {
      target: 1,
      output: 'loss',
    }).arraySync() as number[][][][];
    for (let s = 0; s < 2; s++) {
      const wBar = w.map((row) => row.reduce((acc, v, j) => acc + p[s][j] * v, 0));
      const probExpected = w.map((row, i) => p[s][1] * (row[1] - wBar[i]));
      const lossExpected = w.map((row, i) => wBar[i] - row[1]);
      expect(maxAbsDiff(prob[s].flat(2), probExpected)).toBeLessThan(1e-6);
      expect(maxAbsDiff(loss[s].flat(2), lossExpected)).toBeLessThan(1e-6);
    }
    x.dispose();
  });

  it('matches central finite differences of a zoo CNN along random directions', () => {
    const model = fmnistCnn({ seed: 3, filters: [4, 8], hiddenUnits: 16 });
    const x = randomImages([2, 28, 28, 1], 11);
    const target = [3, 7];
    const grad = explain(vanillaGradient, model, x, { target });
    const rng = new SeededRandom(5);
    const f = (input: tf.Tensor) =>
      tf.tidy(
        () =>
          tf
            .sum(tf.mul(model.predict(input) as tf.Tensor, tf.oneHot([3, 7], 10)), 1)
            .arraySync() as number[],
      );
    for (let trial = 0; trial < 4; trial++) {
      // Directions on 16 random pixels per image: a random ReLU/max-pool CNN has kinks so dense
      // that ±1e-4 along a direction over all 784 pixels often crosses one (measured: with dense
      // directions 1 of 6 model seeds passed); on 16 pixels 128 of 128 checks over 8 seeds did,
      // worst error 3.5e-4. A wrong gradient still fails: each check is a sum of 16 entries.
      const entries = new Float32Array(2 * 784);
      for (let s = 0; s < 2; s++) {
        for (let k = 0; k < 16; k++)
          entries[s * 784 + Math.floor(rng.uniform() * 784)] = rng.normal();
      }
      const v = tf.tensor4d(entries, [2, 28, 28, 1]);
      // Small step: float32 round-off stays ~5e-4.
      const eps = 1e-4;
      const plus = f(tf.add(x, tf.mul(v, eps)));
      const minus = f(tf.sub(x, tf.mul(v, eps)));
      const analytic = tf.sum(tf.reshape(tf.mul(grad, v), [2, -1]), 1).arraySync() as number[];
      for (let s = 0; s < 2; s++) {
        const numeric = (plus[s] - minus[s]) / (2 * eps);
        expect(Math.abs(numeric - analytic[s])).toBeLessThan(3e-3);
      }
      v.dispose();
    }
    tf.dispose([x, grad]);
    model.dispose();
  });

  it('gives the same map whatever the batchSize (chunking is exact) and leaks no tensor', async () => {
    const model = fmnistCnn({ seed: 1, filters: [4, 8], hiddenUnits: 16 });
    const x = randomImages([5, 28, 28, 1], 2);
    const whole = explain(vanillaGradient, model, x, { batchSize: 64 });
    const chunked = explain(vanillaGradient, model, x, { batchSize: 2 });
    expect(maxAbsDiff(whole.dataSync(), chunked.dataSync())).toBeLessThan(1e-6);
    expect(
      await countLeakedTensors(() => explain(vanillaGradient, model, x, { batchSize: 2 })),
    ).toBe(0);
    expect(await countLeakedTensors(() => explain(gradientTimesInput, model, x))).toBe(0);
    tf.dispose([x, whole, chunked]);
    model.dispose();
  });
});

describe('gradientTimesInput', () => {
  it('equals x ⊙ w_t for a linear model', () => {
    const { model, w } = linearModel(9);
    const x = randomImages([2, 2, 2, 1], 4);
    const attr = explain(gradientTimesInput, model, x, { target: 2 }).arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    for (let s = 0; s < 2; s++) {
      expect(
        maxAbsDiff(
          attr[s].flat(2),
          xs[s].flat(2).map((v, i) => v * w[i][2]),
        ),
      ).toBeLessThan(1e-6);
    }
    x.dispose();
  });
});
