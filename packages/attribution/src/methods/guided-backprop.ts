import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import type { ExplainContext } from '../core/explain-context';
import { withReluOverride } from '../layers/override-relu';
import { isLayersModel } from '../model/model-like';
import { deconvolutionRelu, guidedRelu } from './guided-relu';

/** `∂f_t/∂x` with every ReLU of the model's backward pass replaced by `relu`. */
export function modifiedReluGradient(
  ctx: ExplainContext,
  x: tf.Tensor,
  relu: (z: tf.Tensor) => tf.Tensor,
  method: string,
): tf.Tensor {
  const model = ctx.model;
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      `${method} needs a tfl.LayersModel (it replaces the gradient of the model's ReLU layers); a plain function or predict() object has no layers`,
    );
  }
  return withReluOverride(
    model,
    (z) => relu(z),
    () => ctx.gradient(x),
  ).result;
}

/**
 * Guided Backpropagation (Springenberg et al. 2015, "Striving for
 * Simplicity"), as Captum's `GuidedBackprop`: the input gradient with every
 * ReLU's backward pass `dy ⊙ [z > 0]` replaced by `relu(dy) ⊙ [z > 0]`, so
 * only positive signals flow back. Needs a `tfl.LayersModel` (ReLU
 * activations and `ReLU` layers are swapped for the call and restored
 * afterwards, also on error). Shape like `x`; no options of its own.
 */
export const guidedBackprop = defineAttribution(
  {
    name: 'guided-backprop',
    description:
      'Guided Backpropagation: ∂f_t/∂x with ReLU gradients relu(dy)·[z > 0] (Springenberg et al. 2015, Captum)',
    defaults: {},
    explain: (ctx, x) => modifiedReluGradient(ctx, x, guidedRelu, 'guided-backprop'),
  },
  { replace: true },
);

/**
 * Deconvolution (Zeiler & Fergus 2014), as Captum's `Deconvolution`: the input
 * gradient with every ReLU's backward pass replaced by `relu(dy)`, whatever
 * the sign of its input. Needs a `tfl.LayersModel`. Shape like `x`.
 */
export const deconvolution = defineAttribution(
  {
    name: 'deconvolution',
    description:
      'Deconvolution: ∂f_t/∂x with ReLU gradients relu(dy), ignoring the forward sign (Zeiler & Fergus 2014, Captum)',
    defaults: {},
    explain: (ctx, x) => modifiedReluGradient(ctx, x, deconvolutionRelu, 'deconvolution'),
  },
  { replace: true },
);
