import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { correctlyClassified } from '../accuracy/correctly-classified';
import type { ModelLike } from '../model/model-like';
import { ssimPlane } from '../similarity/ssim';
import { explainerOf } from '../testing/test-models';
import { ssimStability } from './ssim-input-stability';

await initBackend({ backend: 'cpu', log: () => {} });

const n = 3;
const side = 7;
const x = tf.tensor4d(new SeededRandom(4).uniformArray(n * side * side), [n, side, side, 1]);
// Class 0 while the image mean is below 0.8: large noise on bright images flips it.
const meanModel: ModelLike = (input) =>
  tf.tidy(() => {
    const m = tf.mean(tf.reshape(input, [input.shape[0], -1]), 1, true);
    return tf.concat([tf.sub(0.8, m), tf.sub(m, 0.8)], 1);
  });
afterAll(() => x.dispose());

describe('SSIM of maps under input noise (FMS authors’ protocol)', () => {
  it('e(x) = x − 0.5: per σ, SSIM(|x − 0.5|, |clip(x + N(0, σ²)) − 0.5|) with the draws in order', async () => {
    const sigmas = [0.05, 0.2];
    const r = await ssimStability.evaluate(
      { model: meanModel, x, explain: explainerOf((z) => tf.sub(z, 0.5)), seed: 9 },
      { sigmas },
    );
    const rng = new SeededRandom(9);
    const pixels = x.dataSync();
    const per = Array.from({ length: n }, () => [] as number[]);
    for (const sigma of sigmas) {
      const noise = rng.normalArray(n * side * side, 0, sigma);
      for (let i = 0; i < n; i++) {
        const a: number[] = [];
        const b: number[] = [];
        for (let k = 0; k < side * side; k++) {
          const v = pixels[i * side * side + k];
          a.push(Math.abs(v - 0.5));
          b.push(Math.abs(Math.min(1, Math.max(0, v + noise[i * side * side + k])) - 0.5));
        }
        per[i].push(ssimPlane(a, b, side, side, { windowSize: 5, dataRange: 2 }));
      }
    }
    r.values.forEach((v, i) => expect(v).toBeCloseTo((per[i][0] + per[i][1]) / 2, 5));
    const bySigma = r.extra!.bySigma as { sigma: number; mean: number; count: number }[];
    expect(bySigma.map((b) => b.count)).toEqual([n, n]);
    expect(bySigma[1].mean).toBeCloseTo(per.reduce((s, p) => s + p[1], 0) / n, 5);
    expect(r.higherIsBetter).toBe(true);
  });

  it('a map that does not move gives 1; copies that change the class are left out of their σ', async () => {
    // Class 0 while the mean is below 0.25.
    const darkModel: ModelLike = (input) =>
      tf.tidy(() => {
        const m = tf.mean(tf.reshape(input, [input.shape[0], -1]), 1, true);
        return tf.concat([tf.sub(0.25, m), tf.sub(m, 0.25)], 1);
      });
    const bright = tf.tensor4d(new Array(side * side).fill(0.21), [1, side, side, 1]);
    const r = await ssimStability.evaluate(
      { model: darkModel, x: bright, explain: explainerOf((z) => tf.onesLike(z)), seed: 2 },
      { sigmas: [0, 0.5] },
    );
    // σ = 0 keeps the copy; with σ = 0.5 clipping at 0 raises the expected mean to ≈ 0.31 > 0.25.
    const bySigma = r.extra!.bySigma as { count: number; mean: number | null }[];
    expect(bySigma.map((b) => b.count)).toEqual([1, 0]);
    expect(bySigma[1].mean).toBeNull();
    expect(r.values).toEqual([1]);
    await assertNoLeaks(
      () =>
        ssimStability.evaluate(
          { model: darkModel, x: bright, explain: explainerOf((z) => tf.onesLike(z)), seed: 2 },
          { sigmas: [0, 0.5] },
        ),
      'ssim',
    );
    bright.dispose();
  });
});

describe('correctlyClassified (the FMS authors’ evaluation filter)', () => {
  it('keeps the samples with argmax f(x) = y, slicing x, y and explanations', async () => {
    const y = tf.tensor1d([0, 1, 0], 'int32');
    const explanations = tf.tidy(() => tf.mul(x, 2) as tf.Tensor4D);
    const predicted = tf.tidy(() => tf.argMax(meanModel(x) as tf.Tensor, 1)).dataSync();
    const kept = await correctlyClassified({ model: meanModel, x, y, explanations });
    const expected = [0, 1, 2].filter((i) => predicted[i] === [0, 1, 0][i]);
    expect(kept.index).toEqual(expected);
    expect(kept.ctx.x!.shape[0]).toBe(expected.length);
    expect(Array.from(kept.ctx.explanations!.dataSync())).toEqual(
      expected.flatMap((i) => Array.from(explanations.dataSync().slice(i * 49, (i + 1) * 49))),
    );
    kept.dispose();
    tf.dispose([y, explanations]);
    await expect(correctlyClassified({ model: meanModel, x })).rejects.toThrow(
      /needs model, x and y/,
    );
  });
});
