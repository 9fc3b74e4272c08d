import * as tf from '@tensorflow/tfjs-core';

type Unary = (z: tf.Tensor) => tf.Tensor;

/** A ReLU whose backward pass is `backward(dy, z)`. */
function reluWithGradient(backward: (dy: tf.Tensor, z: tf.Tensor) => tf.Tensor): Unary {
  const forward = (z: tf.Tensor, save: tf.GradSaveFunc) => {
    save([z]);
    return {
      value: tf.relu(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy, saved[0]),
    };
  };
  return tf.customGrad(
    forward as unknown as Parameters<typeof tf.customGrad>[0],
  ) as unknown as Unary;
}

/**
 * ReLU whose backward pass keeps only positive gradients at positive inputs,
 * `∂ ← relu(dy) ⊙ [z > 0]` (Springenberg et al. 2015, Guided
 * Backpropagation; Captum's `GuidedBackprop` hook `relu(grad_input)`).
 */
export const guidedRelu: Unary = reluWithGradient((dy, z) => tf.mul(tf.relu(dy), tf.step(z)));

/**
 * ReLU whose backward pass is the ReLU of the incoming gradient, ignoring the
 * input's sign, `∂ ← relu(dy)` (Zeiler & Fergus 2014, Deconvolution; Captum's
 * `Deconvolution` hook `relu(grad_output)`).
 */
export const deconvolutionRelu: Unary = reluWithGradient((dy) => tf.relu(dy));
