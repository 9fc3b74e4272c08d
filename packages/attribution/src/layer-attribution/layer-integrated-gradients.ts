import * as tf from '@tensorflow/tfjs-core';
import { type BaselineSpec, makeBaseline } from '../baselines/baseline';
import { withCompleteness } from '../core/completeness';
import { type IntegrationRule, quadratureNodes } from '../integration/integration-rules';
import { pathGradientSum } from '../integration/path-integral';
import { defineLayerAttribution, type LayerOptions } from './layer-attribution-method';
import { chunkedActivations, layerValueAndGradient, resolveLayer } from './layer-gradients';

/** Options of {@link layerIntegratedGradients}. */
export interface LayerIntegratedGradientsOptions extends LayerOptions {
  /** Number of path points `m`. Default 32. */
  steps: number;
  /** Quadrature rule over α ∈ [0, 1]. Default `'gauss-legendre'`. */
  rule: IntegrationRule;
  /** Reference input `b` (its layer output is the path's start). Default `'zero'`. */
  baseline: BaselineSpec;
  /** Gaussian σ (pixels) of the `'blur'` baseline. Default 5. */
  blurSigma: number;
  /** Seed of the `'uniform'` baseline. Default 0. */
  seed: number;
}

/** Extras of {@link layerIntegratedGradients}, each `[b]`. */
export interface LayerIntegratedGradientsInfo extends Record<string, tf.Tensor> {
  /** `f_t(x) − f_t(b)`. */
  outputDifference: tf.Tensor1D;
  /** `Σ attr − (f_t(x) − f_t(b))`: the quadrature error when every path to the output passes through the layer. */
  completenessGap: tf.Tensor1D;
}

/**
 * Layer Integrated Gradients (Captum's `LayerIntegratedGradients`, layer
 * output): Integrated Gradients in the space of the layer's output `A`, on
 * the straight path from `A(b)` to `A(x)` fed in place of the layer's output,
 * `attr = (A(x) − A(b)) ⊙ Σ_k w_k ∂f_t/∂A (A(b) + α_k (A(x) − A(b)))`, shape like
 * `A`. When the whole output depends on `x` through the layer (sequential
 * models), it sums to `f_t(x) − f_t(b)` up to the quadrature error
 * (`info.completenessGap`). Path points are evaluated `floor(batchSize / b)`
 * steps at a time.
 *
 * @example
 * const { attributions, info } = explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 64 });
 */
export const layerIntegratedGradients = defineLayerAttribution<
  LayerIntegratedGradientsOptions,
  LayerIntegratedGradientsInfo
>(
  {
    name: 'layer-ig',
    description:
      "Layer Integrated Gradients over a named layer's output, from A(b) to A(x) (Captum)",
    defaults: {
      layer: undefined,
      steps: 32,
      rule: 'gauss-legendre',
      baseline: 'zero',
      blurSigma: 5,
      seed: 0,
    },
    explain(ctx, x, options) {
      const layer = resolveLayer(ctx, options.layer, 'layer-ig');
      const nodes = quadratureNodes(options.rule, options.steps);
      const baseline = makeBaseline(options.baseline, x, options);
      const b = x.shape[0];
      const ax = chunkedActivations(ctx, layer, x);
      const ab = chunkedActivations(ctx, layer, baseline);
      const delta = tf.sub(ax, ab);
      const stepsPerChunk = Math.max(1, Math.floor(ctx.batchSize / b));
      const pathSum = pathGradientSum(ab, delta, nodes, stepsPerChunk, (fed, count) => {
        // The input is x for every point; only the layer's output moves along the path.
        const xs = tf.tile(x, [count, ...x.shape.slice(1).map(() => 1)]);
        const targets = tf.tile(ctx.targets, [count]) as tf.Tensor1D;
        return layerValueAndGradient(ctx, layer, xs, fed, targets).gradient;
      });
      const attributions = tf.mul(delta, pathSum);
      return withCompleteness(
        attributions,
        tf.sub(ctx.quantity(x), ctx.quantity(baseline)) as tf.Tensor1D,
      );
    },
  },
  { replace: true },
);
