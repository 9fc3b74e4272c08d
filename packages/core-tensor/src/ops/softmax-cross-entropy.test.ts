import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { ShapeError } from '../errors/trustgrad-error';
import { SeededRandom } from '../random/seeded-random';
import {
  composedSoftmaxCrossEntropy,
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  softmaxCrossEntropy,
} from './softmax-cross-entropy';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

type Loss = (logits: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor1D;

/** The loss and `∂(Σ w·CE)/∂logits` for a fixed upstream weighting `w`, as host arrays. */
function lossAndGradient(loss: Loss, logits: number[], labels: number[], shape: [number, number]) {
  return tf.tidy(() => {
    const z = tf.tensor2d(logits, shape);
    const y = tf.tensor1d(labels, 'int32');
    const w = tf.tensor1d(labels.map((_, i) => ((i % 3) - 1) * 0.37 + 0.05 * i));
    const value = loss(z, y);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(loss(input as tf.Tensor2D, y), w)))(z);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()) };
  });
}

/** Logits with edge values in some rows: huge and tiny magnitudes, ±∞, NaN, denormals, ties. */
function cases(rng: SeededRandom) {
  const out: Array<{ shape: [number, number]; logits: number[]; labels: number[]; label: string }> =
    [];
  for (const [batch, classes] of [
    [32, 10],
    [7, 2],
    [9, 17],
  ] as const) {
    for (const scale of [1, 30, 1e-3]) {
      const logits = Array.from(rng.normalArray(batch * classes), (v) => v * scale);
      const labels = Array.from({ length: batch }, (_, i) => (i * 7 + 3) % classes);
      out.push({ shape: [batch, classes], logits, labels, label: `${batch}×${classes} ×${scale}` });
    }
  }
  const classes = 4;
  const rows = [
    [1e30, -1e30, 0, 1],
    [Number.NEGATIVE_INFINITY, 2, 1, 0],
    [Number.POSITIVE_INFINITY, 0, 0, 0],
    [Number.NaN, 1, 2, 3],
    [1, Number.NaN, 2, 3],
    [3e-39, -1e-45, 0, -0],
    [5, 5, 5, 5],
    [88, 89, -87, 0],
  ];
  out.push({
    shape: [rows.length, classes],
    logits: rows.flat(),
    labels: [0, 1, 2, 3, 0, 3, 2, 1],
    label: 'edge values',
  });
  // Labels outside [0, classes): tfjs's oneHot gives a zero row.
  out.push({
    shape: [3, classes],
    logits: [0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 1, 1],
    labels: [-1, 4, 2],
    label: 'labels out of range',
  });
  return out;
}

function expectSameBits(actual: number[], expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (
      !Object.is(actual[i], expected[i]) &&
      !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))
    ) {
      throw new Error(`${label} [${i}]: ${actual[i]} vs ${expected[i]}`);
    }
  }
}

describe('softmaxCrossEntropy', () => {
  it('equals the cpu composition bit for bit, loss and gradient, on cpu and on wasm (edge values, labels out of range)', async () => {
    const rng = new SeededRandom(7);
    for (const c of cases(rng)) {
      await tf.setBackend('cpu');
      const reference = lossAndGradient(composedSoftmaxCrossEntropy, c.logits, c.labels, c.shape);
      const onCpu = lossAndGradient(softmaxCrossEntropy, c.logits, c.labels, c.shape);
      await tf.setBackend('wasm');
      const onWasm = lossAndGradient(softmaxCrossEntropy, c.logits, c.labels, c.shape);
      for (const [name, got] of [
        ['cpu', onCpu],
        ['wasm', onWasm],
      ] as const) {
        expectSameBits(got.value, reference.value, `${c.label} loss on ${name}`);
        expectSameBits(got.grad, reference.grad, `${c.label} gradient on ${name}`);
      }
    }
  });

  it('is −log softmax(z)[y] (hand-computed) and its gradient is softmax − oneHot', async () => {
    await tf.setBackend('wasm');
    const { value, grad } = lossAndGradient(softmaxCrossEntropy, [2, 0, -1], [0], [1, 3]);
    const lse = Math.log(Math.exp(2) + 1 + Math.exp(-1));
    expect(value[0]).toBeCloseTo(lse - 2, 6);
    // w_0 = −0.37: ∂(w·CE)/∂z = w·(softmax − oneHot).
    const softmax = [Math.exp(2), 1, Math.exp(-1)].map((e) => e / Math.exp(lse));
    grad.forEach((g, j) => expect(g).toBeCloseTo(-0.37 * (softmax[j] - (j === 0 ? 1 : 0)), 6));
  });

  it('is two kernels where the composition makes some twenty, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const rng = new SeededRandom(8);
    const z = tf.tensor2d(rng.normalArray(32 * 10), [32, 10]);
    const y = tf.tensor1d(
      Array.from({ length: 32 }, (_, i) => i % 10),
      'int32',
    );
    const step = () =>
      tf.grad((input: tf.Tensor) => tf.mean(softmaxCrossEntropy(input as tf.Tensor2D, y)))(z);
    step().dispose();
    const before = tf.memory().numTensors;
    const kernels = (await tf.profile(() => step().dispose())).kernels.map((k) => k.name);
    expect(kernels.filter((n) => n === SOFTMAX_CROSS_ENTROPY).length).toBe(1);
    expect(kernels.filter((n) => n === SOFTMAX_CROSS_ENTROPY_GRAD).length).toBe(1);
    const composed = (
      await tf.profile(() =>
        tf
          .grad((input: tf.Tensor) =>
            tf.mean(composedSoftmaxCrossEntropy(input as tf.Tensor2D, y)),
          )(z)
          .dispose(),
      )
    ).kernels.length;
    expect(kernels.length).toBeLessThan(composed / 2);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, y]);
  });

  it('takes float labels as the composition casts them, and rejects mismatched shapes', async () => {
    await tf.setBackend('wasm');
    const z = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const ints = softmaxCrossEntropy(z, tf.tensor1d([2, 0], 'int32')).arraySync();
    expect(softmaxCrossEntropy(z, tf.tensor1d([2, 0], 'float32')).arraySync()).toEqual(ints);
    expect(() => softmaxCrossEntropy(z, tf.tensor1d([1, 2, 0], 'int32'))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(tf.zeros([2, 1]), tf.tensor1d([0, 0], 'int32'))).toThrow(
      /at least 2 classes/,
    );
    expect(() =>
      softmaxCrossEntropy(tf.tensor1d([1, 2]) as never, tf.tensor1d([1], 'int32')),
    ).toThrow(/logits must be \[batch, classes\]/);
  });
});
