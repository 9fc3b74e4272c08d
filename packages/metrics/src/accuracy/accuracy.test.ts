import * as tf from '@tensorflow/tfjs-core';
import {
  assertNoLeaks,
  initBackend,
  LabelRangeError,
  NonFiniteInputError,
} from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { linearModel } from '../testing/test-models';
import { cleanAccuracy, robustAccuracy } from './accuracy';

await initBackend({ backend: 'cpu', log: () => {} });

// logits = [x0 + x1, x2 + x3]: two classes.
const lin = linearModel([
  [1, 0],
  [1, 0],
  [0, 1],
  [0, 1],
]);
// Sample 0 → class 0, sample 1 → class 1, sample 2 → class 0.
const x = tf.tensor4d([1, 1, 0, 0, 0, 0, 1, 1, 2, 0, 0, 1], [3, 2, 2, 1]);
const identity = (_m: unknown, input: tf.Tensor4D) => input;
afterAll(() => {
  lin.dispose();
  x.dispose();
});

describe('cleanAcc and robustAcc input checks', () => {
  it('score hand-computed correctness', async () => {
    const y = tf.tensor1d([0, 1, 1], 'int32');
    const clean = await cleanAccuracy.evaluate({ model: lin.model, x, y });
    expect(clean.values).toEqual([1, 1, 0]);
    const robust = await robustAccuracy.evaluate({ model: lin.model, x, y, attack: identity });
    expect(robust.values).toEqual([1, 1, 0]);
    await assertNoLeaks(() => cleanAccuracy.evaluate({ model: lin.model, x, y }));
    y.dispose();
  });

  it('reject labels outside the model classes instead of reading 0', async () => {
    const y = tf.tensor1d([0, 2, 1], 'int32');
    await expect(cleanAccuracy.evaluate({ model: lin.model, x, y })).rejects.toThrow(
      LabelRangeError,
    );
    await expect(cleanAccuracy.evaluate({ model: lin.model, x, y })).rejects.toThrow(
      /label 2 at index 1; the model has 2 classes/,
    );
    let attacked = false;
    const spy = (_m: unknown, input: tf.Tensor4D) => {
      attacked = true;
      return input;
    };
    await expect(robustAccuracy.evaluate({ model: lin.model, x, y, attack: spy })).rejects.toThrow(
      LabelRangeError,
    );
    expect(attacked).toBe(false);
    const negative = tf.tensor1d([0, -1, 1], 'int32');
    await expect(cleanAccuracy.evaluate({ model: lin.model, x, y: negative })).rejects.toThrow(
      /label -1/,
    );
    tf.dispose([y, negative]);
  });

  it('reject NaN or infinite inputs instead of reading 0', async () => {
    const y = tf.tensor1d([0, 1, 0], 'int32');
    const bad = tf.tensor4d([1, 1, 0, 0, 0, Number.NaN, 1, 1, 2, 0, 0, 1], [3, 2, 2, 1]);
    await expect(cleanAccuracy.evaluate({ model: lin.model, x: bad, y })).rejects.toThrow(
      NonFiniteInputError,
    );
    await expect(
      robustAccuracy.evaluate({ model: lin.model, x: bad, y, attack: identity }),
    ).rejects.toThrow(/metric "robustAcc": x holds 1 NaN/);
    tf.dispose([y, bad]);
  });
});
