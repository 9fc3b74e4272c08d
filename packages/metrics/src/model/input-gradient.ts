import * as tf from '@tensorflow/tfjs-core';
import { explain, isLayersModel } from '@trustgrad/attribution';
import { classMask } from './class-mask';
import { type Explainer, logitsOf, type ModelLike } from './model-like';

/**
 * `∇ₓ f_t(x)`: gradient of the target logit of each sample with respect to its
 * input, `[n, h, w, c]`. Samples are independent, so the gradient of the sum of
 * the selected logits gives every sample's own gradient in one backward pass.
 * The raw gradient op of the curvature metrics' Hessian-vector products (no
 * input checks, no chunking: it runs inside their power-iteration loops); as
 * an explanation use attribution's `vg` ({@link vanillaGradientExplainer}).
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
 * attribution's Vanilla Gradient (`vg`: `∂f_t/∂x`, target logit, default
 * target the predicted class) as an {@link Explainer}, the whole batch in one
 * pass.
 */
export function vanillaGradientExplainer(model: ModelLike): Explainer {
  return (x, target) =>
    explain('vg', model, x, {
      ...(target ? { target } : {}),
      batchSize: Math.max(1, x.shape[0]),
    }) as tf.Tensor4D;
}

function logitsOfShape(model: ModelLike, x: tf.Tensor4D): number {
  if (isLayersModel(model)) {
    const shape = model.outputs[0].shape;
    const classes = shape[shape.length - 1];
    if (typeof classes === 'number') return classes;
  }
  return tf.tidy(() => logitsOf(model, tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1])).shape[1]);
}
