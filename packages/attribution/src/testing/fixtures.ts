// Test fixtures (not exported from the package): small models with known gradients.
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@trustgrad/core-tensor';

/** A linear model `z = flatten(x) W + c` over `[b, 2, 2, 1]` inputs with 3 classes; returns `(fn, W, c)`. */
export function linearModel(seed = 1): {
  model: (x: tf.Tensor) => tf.Tensor2D;
  w: number[][];
  c: number[];
} {
  const rng = new SeededRandom(seed);
  const w = Array.from({ length: 4 }, () => Array.from({ length: 3 }, () => rng.normal()));
  const c = [0.1, -0.2, 0.3];
  const wt = tf.keep(tf.tensor2d(w));
  const ct = tf.keep(tf.tensor1d(c));
  return {
    model: (x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], 4]), wt), ct) as tf.Tensor2D,
    w,
    c,
  };
}

/** A quadratic model `z_k = Σ_i a_{ik} x_i²` over `[b, 2, 2, 1]` with 2 classes; `∂z_k/∂x_i = 2 a_{ik} x_i`. */
export function quadraticModel(): { model: (x: tf.Tensor) => tf.Tensor2D; a: number[][] } {
  const a = [
    [1, -0.5],
    [0.25, 2],
    [-1.5, 0.75],
    [0.5, -1],
  ];
  const at = tf.keep(tf.tensor2d(a));
  return {
    model: (x) => tf.matMul(tf.square(tf.reshape(x, [x.shape[0], 4])), at) as tf.Tensor2D,
    a,
  };
}

/** `[b, ...shape]` uniform in [0, 1) from a seed. */
export function randomImages(shape: number[], seed = 0): tf.Tensor {
  return new SeededRandom(seed).uniformTensor(shape, 0, 1);
}

/** Largest |a − b| between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
