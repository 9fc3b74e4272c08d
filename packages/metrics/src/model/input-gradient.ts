import * as tf from '@tensorflow/tfjs-core';
import { classMask } from '../internal/class-mask';
import { type Explainer, logitsOf, type ModelLike } from './model-like';

/**
 * `∇ₓ f_t(x)`: gradient of the target logit of each sample with respect to its
 * input, `[n, h, w, c]`. Samples are independent, so the gradient of the sum of
 * the selected logits gives every sample's own gradient in one backward pass.
 *
 * @param target int32 `[n]` class per sample.
 */
export function inputGradient(model: ModelLike, x: tf.Tensor4D, target: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const classes = logitsOfShape(model, x);
    const picked = classMask(target, classes);
    const grad = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(logitsOf(model, input as tf.Tensor4D), picked)),
    );
    return grad(x) as tf.Tensor4D;
  });
}

/**
 * Vanilla Gradient (`∂f_t/∂x`, target logit, default target the predicted
 * class) as an {@link Explainer}. Metrics use it for the curvature of the
 * gradient field; the bench normally passes `@trustgrad/attribution`'s methods.
 */
export function vanillaGradientExplainer(model: ModelLike): Explainer {
  return (x, target) =>
    tf.tidy(() => {
      const t = target ?? (tf.argMax(logitsOf(model, x), 1) as tf.Tensor1D);
      return inputGradient(model, x, t);
    });
}

function logitsOfShape(model: ModelLike, x: tf.Tensor4D): number {
  if (typeof model !== 'function') {
    const shape = model.outputs[0].shape;
    const classes = shape[shape.length - 1];
    if (typeof classes === 'number') return classes;
  }
  return tf.tidy(() => logitsOf(model, tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1])).shape[1]);
}
