// Small hand-analysable models and explainers for the unit tests (not exported by the package).
import * as tf from '@tensorflow/tfjs-core';
import type { Explainer, ModelLike } from '../model/model-like';

/** `logits = flatten(x)·W + b` with W `[d, k]`, b `[k]` given as nested arrays. */
export function linearModel(
  w: number[][],
  b?: number[],
): { model: ModelLike; dispose: () => void } {
  const W = tf.tensor2d(w);
  const B = tf.tensor1d(b ?? new Array(w[0].length).fill(0));
  return {
    model: (x) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], -1]), W), B)),
    dispose: () => tf.dispose([W, B]),
  };
}

/** `f(x) = ½ xᵀAx` as a one-logit model (A `[d, d]`). */
export function quadraticModel(a: number[][]): { model: ModelLike; dispose: () => void } {
  const A = tf.tensor2d(a);
  return {
    model: (x) =>
      tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0], -1]);
        return tf.reshape(tf.mul(0.5, tf.sum(tf.mul(tf.matMul(flat, A), flat), 1)), [-1, 1]);
      }),
    dispose: () => A.dispose(),
  };
}

/** An explainer that ignores the target: `e(x) = fn(x)`. */
export function explainerOf(fn: (x: tf.Tensor4D) => tf.Tensor): Explainer {
  return (x) => tf.tidy(() => fn(x) as tf.Tensor4D);
}

/** A custom perturbation that scales every sample by the given factors (count must equal factors.length). */
export function scalingPerturbation(factors: number[]) {
  return (x: tf.Tensor4D, count: number) =>
    tf.tidy(() => {
      if (count !== factors.length)
        throw new Error(`test perturbation expects count ${factors.length}, got ${count}`);
      const [n, ...rest] = x.shape;
      const copies = factors.map((f) => tf.expandDims(tf.mul(x, f), 1));
      return tf.reshape(tf.concat(copies, 1), [n * count, ...rest]) as tf.Tensor4D;
    });
}
