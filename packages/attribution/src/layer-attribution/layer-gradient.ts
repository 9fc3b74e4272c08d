import * as tf from '@tensorflow/tfjs-core';
import { defineLayerAttribution, type LayerOptions } from './layer-attribution-method';
import { layerActivations, layerValueAndGradient, resolveLayer } from './layer-gradients';

/**
 * Layer Gradient (Captum's `LayerGradientXActivation` with
 * `multiply_by_inputs = False`): `∂f_t/∂A` for the output `A` of `layer`,
 * shape `[b, ...]` like `A`; chunks of `batchSize` images.
 *
 * @example
 * const { attributions } = explainLayer('layer-gradient', model, x, { layer: 'conv2' });
 */
export const layerGradient = defineLayerAttribution<LayerOptions>(
  {
    name: 'layer-gradient',
    description: "Layer Gradient ∂f_t/∂A of a named layer's output A (Captum)",
    defaults: { layer: undefined },
    explain(ctx, x, options) {
      const layer = resolveLayer(ctx, options.layer, 'layer-gradient');
      return chunkedLayerMap(
        ctx,
        x,
        (xc, tc) =>
          layerValueAndGradient(ctx, layer, xc, layerActivations(ctx, layer, xc), tc).gradient,
      );
    },
  },
  { replace: true },
);

/**
 * Layer Gradient × Activation (Captum's `LayerGradientXActivation`):
 * `A ⊙ ∂f_t/∂A` for the output `A` of `layer`, shape like `A`.
 */
export const layerGradientXActivation = defineLayerAttribution<LayerOptions>(
  {
    name: 'layer-gradient-x-activation',
    description: "Layer Gradient × Activation A ⊙ ∂f_t/∂A of a named layer's output A (Captum)",
    defaults: { layer: undefined },
    explain(ctx, x, options) {
      const layer = resolveLayer(ctx, options.layer, 'layer-gradient-x-activation');
      return chunkedLayerMap(ctx, x, (xc, tc) => {
        const a = layerActivations(ctx, layer, xc);
        return tf.mul(a, layerValueAndGradient(ctx, layer, xc, a, tc).gradient);
      });
    },
  },
  { replace: true },
);

/** Runs `map` on chunks of `batchSize` samples (with their targets) and concatenates. */
function chunkedLayerMap(
  ctx: Parameters<typeof layerActivations>[0],
  x: tf.Tensor,
  map: (xc: tf.Tensor, tc: tf.Tensor1D) => tf.Tensor,
): tf.Tensor {
  const b = x.shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < b; start += ctx.batchSize) {
    const size = Math.min(ctx.batchSize, b - start);
    parts.push(tf.tidy(() => map(tf.slice(x, start, size), tf.slice(ctx.targets, start, size))));
  }
  return parts.length === 1 ? parts[0] : tf.concat(parts);
}
