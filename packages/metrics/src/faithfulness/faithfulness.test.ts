import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelLike } from '../model/model-like';
import { linearModel } from '../testing/test-models';
import { deletionAuc, insertionAuc } from './deletion-insertion';
import { infidelity } from './infidelity';

await initBackend({ backend: 'cpu', log: () => {} });

describe('infidelity', () => {
  const W = [
    [0.5, -1, 2],
    [1.5, 0.2, -0.3],
    [-2, 1, 0.7],
    [0.1, 0.4, 1],
  ];
  const lin = linearModel(W, [0.3, 0, -0.1]);
  const x = tf.tensor4d([0.2, 0.9, 0.4, 0.6, 0.8, 0.1, 0.3, 0.5], [2, 2, 2, 1]);
  afterAll(() => {
    lin.dispose();
    x.dispose();
  });

  // The exact attribution of a linear logit is its weight column w_t (t = predicted class).
  const exact = (scale = 1) => {
    const logits = (lin.model as (x: tf.Tensor4D) => tf.Tensor)(x);
    const t = Array.from(tf.argMax(logits, 1).dataSync());
    logits.dispose();
    return tf.tensor4d(
      t.flatMap((c) => W.map((row) => scale * row[c])),
      [2, 2, 2, 1],
    );
  };

  it('is 0 for the exact attribution of a linear model (Gaussian and square removal)', async () => {
    const e = exact();
    for (const perturbation of ['gaussian', 'square'] as const) {
      const r = await infidelity.evaluate(
        { model: lin.model, x, explanations: e },
        { perturbation, squareSize: 1 },
      );
      for (const v of r.values) expect(v).toBeLessThan(1e-10);
    }
    await assertNoLeaks(
      () => infidelity.evaluate({ model: lin.model, x, explanations: e }),
      'infidelity',
    );
    e.dispose();
  });

  it('is > 0 for a doubled attribution, and 0 again with the optimal rescaling', async () => {
    const e = exact(2);
    const raw = await infidelity.evaluate({ model: lin.model, x, explanations: e });
    expect(raw.mean).toBeGreaterThan(1e-3);
    const normalised = await infidelity.evaluate(
      { model: lin.model, x, explanations: e },
      { normalise: true },
    );
    for (const v of normalised.values) expect(v).toBeLessThan(1e-8);
    e.dispose();
  });

  it('square removal of k×k ones from a sum model with a zero map gives exactly k⁴', async () => {
    const sum: ModelLike = (input) => tf.sum(tf.reshape(input, [input.shape[0], -1]), 1, true);
    const ones = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const zero = tf.zeros([1, 5, 5, 1]) as tf.Tensor4D;
    const r = await infidelity.evaluate(
      { model: sum, x: ones, explanations: zero },
      { perturbation: 'square', squareSize: 2 },
    );
    expect(r.values[0]).toBeCloseTo(16, 4);
    tf.dispose([ones, zero]);
  });
});

describe('deletion and insertion AUC', () => {
  // f(x) = x₀ + x₅ + x₁₀ on 4×4 images of ones (s = 3 pixels, N = 16), one pixel per step.
  const support = [0, 5, 10];
  const model: ModelLike = (input) =>
    tf.tidy(() => {
      const flat = tf.reshape(input, [input.shape[0], -1]);
      return tf.sum(tf.gather(flat, support, 1), 1, true);
    });
  const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
  const perfect = tf.tensor4d(
    Array.from({ length: 16 }, (_, i) => (support.includes(i) ? 1 : 0)),
    [1, 4, 4, 1],
  );
  const worst = tf.tensor4d(
    Array.from({ length: 16 }, (_, i) => (support.includes(i) ? 0 : 1)),
    [1, 4, 4, 1],
  );
  afterAll(() => tf.dispose([x, perfect, worst]));
  const opts = { stepFraction: 1 / 16, output: 'logit' as const };
  const N = 16;
  const s = 3;

  it('matches the closed forms s²/2N (deletion) and s − s²/2N (insertion) for a perfect ranking', async () => {
    const del = await deletionAuc.evaluate({ model, x, explanations: perfect }, opts);
    const ins = await insertionAuc.evaluate({ model, x, explanations: perfect }, opts);
    expect(del.values[0]).toBeCloseTo((s * s) / (2 * N), 6);
    expect(ins.values[0]).toBeCloseTo(s - (s * s) / (2 * N), 6);
    expect(del.higherIsBetter).toBe(false);
    expect(ins.higherIsBetter).toBe(true);
    expect((del.extra!.curves as number[][])[0].slice(0, 5)).toEqual([3, 2, 1, 0, 0]);
  });

  it('a reversed ranking swaps the two areas', async () => {
    const del = await deletionAuc.evaluate({ model, x, explanations: worst }, opts);
    expect(del.values[0]).toBeCloseTo(s - (s * s) / (2 * N), 6);
  });

  it('defaults to class probability with 0.02 steps and leaks nothing', async () => {
    await assertNoLeaks(
      () => deletionAuc.evaluate({ model, x, explanations: perfect }),
      'deletionAuc',
    );
    const r = await deletionAuc.evaluate({ model, x, explanations: perfect });
    // one class → softmax probability is 1 everywhere → AUC 1.
    expect(r.values[0]).toBeCloseTo(1, 6);
  });
});
