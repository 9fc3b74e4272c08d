import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { ShapeError } from '../errors/trustgrad-error';
import { assertSameShape, assertShape } from '../shape/assert-shape';
import { assertNoLeaks, countLeakedTensors, TensorLeakError } from './leak-guard';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('leak guard', () => {
  it('counts tensors a call leaves alive, not the ones it returns', async () => {
    expect(await countLeakedTensors(() => tf.tidy(() => tf.ones([3]).add(1)))).toBe(0);
    let leaked: tf.Tensor | undefined;
    expect(
      await countLeakedTensors(() => {
        leaked = tf.ones([3]);
        return leaked.add(1);
      }),
    ).toBe(1);
    leaked?.dispose();
    await expect(assertNoLeaks(() => tf.zeros([2]).add(tf.ones([2])), 'adder')).rejects.toThrow(
      TensorLeakError,
    );
  });
});

describe('shape assertions', () => {
  it('names the argument, the shape seen and the shape wanted', () => {
    const x = tf.zeros([2, 28, 28, 3]);
    expect(() => assertShape(x, [null, 28, 28, 1], 'x')).toThrow(ShapeError);
    expect(() => assertShape(x, [null, 28, 28, 1], 'x')).toThrow(
      'x has shape [2, 28, 28, 3], expected [*, 28, 28, 1]',
    );
    expect(() => assertShape(x, [null, 28, 28, 3], 'x')).not.toThrow();
    expect(() => assertSameShape(x, tf.zeros([2]), 'x', 'mask')).toThrow(/mask has shape \[2\]/);
    x.dispose();
  });
});
