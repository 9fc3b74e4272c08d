import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanAccuracy, robustAccuracy } from '../accuracy/accuracy';
import { MetricUndefinedError } from '../metric/metric-errors';
import { explainerOf, linearModel } from '../testing/test-models';
import { adversarialClassRetrieval } from './adversarial-class-retrieval';

await initBackend({ backend: 'cpu', log: () => {} });

// logits = [x0 + x1, x2 + x3].
const lin = linearModel([
  [1, 0],
  [1, 0],
  [0, 1],
  [0, 1],
]);
// Sample 0: class 0, attack adds 3 at pixel 2 → class 1. Sample 1: class 0, attack leaves it.
const x = tf.tensor4d([1, 1, 0, 0, 1, 1, 0, 0], [2, 2, 2, 1]);
const y = tf.tensor1d([0, 0], 'int32');
const attack = (_m: unknown, input: tf.Tensor4D) =>
  tf.tidy(() => {
    const bump = tf.tensor4d([0, 0, 3, 0, 0, 0, 0, 0].slice(0, input.size), input.shape);
    return tf.add(input, bump) as tf.Tensor4D;
  });
afterAll(() => {
  lin.dispose();
  tf.dispose([x, y]);
});

describe('adversarial class retrieval', () => {
  it('retrieves y when the kept pixel is evidence of y, not when it is the adversarial pixel', async () => {
    const ctx = { model: lin.model, x, y, attack };
    // e(z) = z keeps pixel 2 (value 3) → [0,0,3,0] → class 1 ≠ y.
    const follows = await adversarialClassRetrieval.evaluate(
      { ...ctx, explain: explainerOf((z) => tf.clone(z)) },
      { keepFraction: 0.25 },
    );
    expect(follows.values).toEqual([0]);
    expect(follows.extra!.sampleIndex).toEqual([0]);
    expect(follows.extra!.skipped).toEqual([1]);
    expect(follows.extra!.attackSuccessRate).toBe(0.5);
    // A map peaked at pixel 0 keeps [1,0,0,0] → class 0 = y.
    const pointsAtY = explainerOf((z) =>
      tf.mul(tf.onesLike(z), tf.tensor4d([5, 0, 0, 0], [1, 2, 2, 1])),
    );
    const r = await adversarialClassRetrieval.evaluate(
      { ...ctx, explain: pointsAtY },
      { keepFraction: 0.25 },
    );
    expect(r.values).toEqual([1]);
    await assertNoLeaks(
      () => adversarialClassRetrieval.evaluate({ ...ctx, explain: pointsAtY }),
      'advClassRetrieval',
    );
  });

  it('fails clearly when the attack flips nothing', async () => {
    const identity = (_m: unknown, input: tf.Tensor4D) => tf.clone(input);
    await expect(
      adversarialClassRetrieval.evaluate({
        model: lin.model,
        x,
        y,
        attack: identity,
        explain: explainerOf((z) => tf.clone(z)),
      }),
    ).rejects.toBeInstanceOf(MetricUndefinedError);
  });
});

describe('clean and robust accuracy', () => {
  it('count correct predictions before and after the attack', async () => {
    const labels = tf.tensor1d([0, 1], 'int32');
    const clean = await cleanAccuracy.evaluate({ model: lin.model, x, y: labels });
    expect(clean.values).toEqual([1, 0]);
    const robust = await robustAccuracy.evaluate({ model: lin.model, x, y, attack, batchSize: 1 });
    expect(robust.values).toEqual([0, 0]);
    const robust2 = await robustAccuracy.evaluate({ model: lin.model, x, y, attack });
    expect(robust2.values).toEqual([0, 1]);
    expect(robust2.mean).toBe(0.5);
    await assertNoLeaks(
      () => robustAccuracy.evaluate({ model: lin.model, x, y, attack }),
      'robustAcc',
    );
    labels.dispose();
  });
});
