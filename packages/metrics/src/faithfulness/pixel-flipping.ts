import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';
import { featureStepCurves } from './perturbation-inputs';

/** Options of {@link pixelFlipping}; defaults are Quantus' `PixelFlipping`. */
export interface PixelFlippingOptions {
  /** Features (elements of h·w·c) flipped per step (`features_in_step`). Default 1. */
  featuresInStep: number;
  /** Value of the flipped features (`perturb_baseline`). Default 'black' (the sample's minimum). */
  baseline: Baseline;
  /** Rank by |attribution| (`abs`). Default false: by the signed value. */
  abs: boolean;
}

const defaults: PixelFlippingOptions = { featuresInStep: 1, baseline: 'black', abs: false };

/**
 * Pixel flipping (Bach et al. 2015, "On Pixel-Wise Explanations for
 * Non-Linear Classifier Decisions by Layer-Wise Relevance Propagation";
 * Quantus' `PixelFlipping`). The features of the flattened `[h, w, c]` input
 * are flipped to the baseline cumulatively, `featuresInStep` at a time, most
 * relevant first; after step k the target logit `p_k = f_t(x^{(k)})` is
 * recorded (K = ⌈h·w·c / featuresInStep⌉ points, the unperturbed x not among
 * them, as Quantus). The value is the curve's area by the trapezoid rule with
 * unit spacing (`return_auc_per_sample`, `np.trapz(p, dx=1)`):
 *
 * `AUC = Σ_{k=1}^{K−1} (p_{k−1} + p_k) / 2`.
 *
 * Lower is better: a faithful map removes the evidence first. Target: the
 * label `ctx.y`, else the class predicted on x; logits (Quantus'
 * `softmax=False`). `extra.curves[i]` holds sample i's curve. Ties in
 * relevance flip in index order.
 *
 * @example
 * await pixelFlipping.evaluate({ model, x, explanations }, { featuresInStep: 28 });
 */
export async function pixelFlippingValues(
  ctx: ResolvedMetricContext,
  options: PixelFlippingOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { featuresInStep, baseline, abs } = options;
  checkBaseline(baseline);
  const curves = await featureStepCurves(ctx, {
    featuresInStep,
    order: 'descending',
    abs,
    begin: (image, current) => {
      current.set(image);
      const fill = baselineFill(image, baseline, ctx.rng);
      return (feature) => {
        current[feature] = fill();
      };
    },
  });
  const values = curves.map((curve) => {
    let area = 0;
    for (let k = 1; k < curve.length; k++) area += (curve[k - 1] + curve[k]) / 2;
    return area;
  });
  return { values, extra: { curves } };
}

/** Pixel flipping AUC, see {@link pixelFlippingValues}. */
export const pixelFlipping = defineMetric<PixelFlippingOptions>(
  {
    name: 'pixelFlipping',
    description:
      'pixel flipping (Bach et al. 2015; Quantus): AUC (dx = 1) of the target logit as features flip to black, most relevant first',
    higherIsBetter: false,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: pixelFlippingValues,
  },
  { replace: true },
);
