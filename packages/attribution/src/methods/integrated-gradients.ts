import * as tf from '@tensorflow/tfjs-core';
import { type BaselineSpec, makeBaseline } from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { withCompleteness } from '../core/completeness';
import { type IntegrationRule, quadratureNodes } from '../integration/integration-rules';
import { pathGradientSum } from '../integration/path-integral';

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions {
  /** Number of path points `m`. Default 32. */
  steps: number;
  /** Quadrature rule over α ∈ [0, 1]. Default `'gauss-legendre'`. */
  rule: IntegrationRule;
  /** Reference input `b`. Default `'zero'`. */
  baseline: BaselineSpec;
  /** Gaussian σ (pixels) of the `'blur'` baseline. Default 5. */
  blurSigma: number;
  /** Seed of the `'uniform'` baseline. Default 0. */
  seed: number;
}

/** Extras of {@link integratedGradients}, each `[b]`. */
export interface IntegratedGradientsInfo extends Record<string, tf.Tensor> {
  /** `Σ attr − (f_t(x) − f_t(b))`: 0 for the exact integral; shrinks as `steps` grows. */
  completenessGap: tf.Tensor1D;
  /** `f_t(x) − f_t(b)`, what the attributions should sum to. */
  outputDifference: tf.Tensor1D;
}

/**
 * Integrated Gradients (Sundararajan, Taly, Yan 2017, "Axiomatic Attribution
 * for Deep Networks"):
 * `A = (x − b) ⊙ Σ_k w_k ∇ₓf_t(b + α_k (x − b))`, with nodes `α_k` and weights
 * `w_k` of the chosen quadrature rule (`(1/m) Σ_k` for the Riemann rules).
 * The `m·b` path points are evaluated in chunks of `batchSize` images.
 *
 * Returns `[b, ...]` like `x`; `explainWithInfo` also returns
 * `completenessGap = Σ A − (f_t(x) − f_t(b))` per sample (completeness axiom).
 *
 * @example
 * const { attributions, info } = explainWithInfo(integratedGradients, model, x, { steps: 64 });
 */
export const integratedGradients = defineAttribution<
  IntegratedGradientsOptions,
  IntegratedGradientsInfo
>(
  {
    name: 'ig',
    description:
      'Integrated Gradients (x − b) ⊙ ∫₀¹ ∇f_t(b + α(x − b)) dα (Sundararajan et al. 2017)',
    defaults: { steps: 32, rule: 'gauss-legendre', baseline: 'zero', blurSigma: 5, seed: 0 },
    explain(ctx, x, options) {
      const nodes = quadratureNodes(options.rule, options.steps);
      const baseline = makeBaseline(options.baseline, x, options);
      const delta = tf.sub(x, baseline);
      const stepsPerChunk = Math.max(1, Math.floor(ctx.batchSize / x.shape[0]));
      const pathSum = pathGradientSum(baseline, delta, nodes, stepsPerChunk, (points) =>
        ctx.gradient(points),
      );
      const attributions = tf.mul(delta, pathSum);
      return withCompleteness(
        attributions,
        tf.sub(ctx.quantity(x), ctx.quantity(baseline)) as tf.Tensor1D,
      );
    },
  },
  { replace: true },
);
