import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { SeededRandom } from '../random/seeded-random';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** tfjs's own formula: `mul(reshape(dy), ones(x.shape))`, divided by the reduced size for the mean. */
function tfjsFormula(dy: tf.Tensor, shape: number[], axes: number[], mean: boolean): tf.Tensor {
  return tf.tidy(() => {
    const expanded = shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    const broadcast = tf.mul(tf.reshape(dy, expanded), tf.ones(shape, 'float32'));
    const n = axes.reduce((product, axis) => product * shape[axis], 1);
    return mean ? tf.div(broadcast, n) : broadcast;
  });
}

describe('Sum and Mean gradients without a tensor of ones', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`equal tfjs's formula bit for bit on ${backend} (NaN, ±0, ±∞, denormals in dy; keepDims; negative axes)`, async () => {
      await tf.setBackend(backend);
      const rng = new SeededRandom(31);
      const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
        { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: true },
        { shape: [4, 5, 6, 3], axis: [1, 2], keepDims: false },
        { shape: [7, 3], axis: -1, keepDims: false },
        { shape: [2, 3, 4], axis: [0, 2], keepDims: true },
        { shape: [5], axis: 0, keepDims: false },
      ];
      for (const { shape, axis, keepDims } of cases) {
        for (const mean of [false, true]) {
          const x = tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape);
          const reduce = (t: tf.Tensor) =>
            mean ? tf.mean(t, axis, keepDims) : tf.sum(t, axis, keepDims);
          const outShape = reduce(x).shape;
          const dyValues = rng.normalArray(outShape.reduce((a, b) => a * b, 1));
          const specials = [Number.NaN, -0, Number.POSITIVE_INFINITY, -3e-39, 1e38];
          specials.forEach((v, i) => {
            if (i < dyValues.length) dyValues[i] = v;
          });
          const dy = tf.tensor(dyValues, outShape);
          const before = tf.memory().numTensors;
          const grad = tf.grad(reduce)(x, dy);
          expect(tf.memory().numTensors).toBe(before + 1);
          const axes = tf.util.parseAxisParam(axis, shape);
          const expected = tfjsFormula(dy, shape, axes, mean);
          const [a, e] = [await grad.data(), await expected.data()];
          const label = JSON.stringify({ backend, shape, axis, keepDims, mean });
          expect(grad.shape, label).toEqual(shape);
          expect(grad.dtype, label).toBe('float32');
          for (let i = 0; i < e.length; i++)
            expect(Object.is(a[i], e[i]), `${label} [${i}]`).toBe(true);
          tf.dispose([x, dy, grad, expected]);
        }
      }
    });
  }
});
