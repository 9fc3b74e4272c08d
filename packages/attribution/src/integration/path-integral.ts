import * as tf from '@tensorflow/tfjs-core';
import type { QuadratureNodes } from './integration-rules';

/**
 * The quadrature of a path integral of gradients along the straight line from
 * `start` to `start + delta` (`delta` `[b, ...]`, `start` that or broadcastable to it):
 * `Σ_k w_k · ∇(start + α_k · delta)`, `[b, ...]` like `delta` — the integral
 * of Integrated Gradients and Layer Integrated Gradients, multiplied by
 * `delta` afterwards. `stepsPerChunk` nodes go through `gradient` at once:
 * it gets the `[count · b, ...]` points of nodes `first … first + count − 1`
 * (node-major) and returns their `[count · b, ...]` gradients.
 *
 * @example
 * const sum = pathGradientSum(baseline, tf.sub(x, baseline), quadratureNodes('gauss-legendre', 32), 4, (points) => ctx.gradient(points));
 */
export function pathGradientSum(
  start: tf.Tensor,
  delta: tf.Tensor,
  nodes: QuadratureNodes,
  stepsPerChunk: number,
  gradient: (points: tf.Tensor, count: number) => tf.Tensor,
): tf.Tensor {
  const { alphas, weights } = nodes;
  // delta has the batch's full shape; start may broadcast against it.
  const b = delta.shape[0];
  const shape = delta.shape.slice(1);
  const ones = shape.map(() => 1);
  let pathSum: tf.Tensor = tf.zerosLike(delta);
  for (let first = 0; first < alphas.length; first += stepsPerChunk) {
    const count = Math.min(stepsPerChunk, alphas.length - first);
    const next = tf.tidy(() => {
      const a = tf.tensor(alphas.slice(first, first + count), [count, 1, ...ones]);
      const w = tf.tensor(weights.slice(first, first + count), [count, 1, ...ones]);
      const points = tf.reshape(
        tf.add(tf.expandDims(start, 0), tf.mul(a, tf.expandDims(delta, 0))),
        [count * b, ...shape],
      );
      const grads = tf.reshape(gradient(points, count), [count, b, ...shape]);
      return tf.add(pathSum, tf.sum(tf.mul(grads, w), 0));
    });
    pathSum.dispose();
    pathSum = next;
  }
  return pathSum;
}
