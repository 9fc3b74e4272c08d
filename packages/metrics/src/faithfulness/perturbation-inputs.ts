import type { TypedArray } from '@tensorflow/tfjs-core';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { imageScores, targetClasses } from '../model/image-scores';
import { checkFeaturesInStep, orderFeatures } from './feature-steps';

/** Layout of `ctx.x` (`[n, h, w, c]`): `size = h·w·c` features per sample. */
export interface SampleLayout {
  n: number;
  shape: [number, number, number];
  size: number;
}

/** What a perturbation metric reads once: x's and the explanations' values, and each sample's target class. */
export interface PerturbationInputs extends SampleLayout {
  /** x, flattened NHWC (`n·size` values). */
  pixels: TypedArray;
  /** The explanations, flattened like `pixels`. */
  attributions: TypedArray;
  /** Sample i's class: the label `ctx.y`, else the class predicted on x. */
  targets: Int32Array;
}

/**
 * The layout of `ctx.x`; read it (and check options against `size`) before
 * {@link perturbationInputs}, which may run the model to predict targets.
 */
export function sampleLayout(ctx: ResolvedMetricContext): SampleLayout {
  const [n, h, w, c] = ctx.x!.shape;
  return { n, shape: [h, w, c], size: h * w * c };
}

/**
 * Reads x, the explanations and the target classes of a faithfulness metric
 * (one home for the preamble every perturbation metric shares).
 *
 * @example
 * const inputs = await perturbationInputs(ctx);
 * const f0 = await originalScores(ctx, inputs); // [n] logits f_t(x)
 */
export async function perturbationInputs(
  ctx: ResolvedMetricContext,
  layout: SampleLayout = sampleLayout(ctx),
): Promise<PerturbationInputs> {
  const pixels = await ctx.x!.data();
  const attributions = await ctx.explanations!.data();
  const targets = await targetClasses(ctx);
  return { ...layout, pixels, attributions, targets };
}

/** `[n]` target logits `f_t(x_i)` of the unperturbed samples. */
export function originalScores(
  ctx: ResolvedMetricContext,
  inputs: PerturbationInputs,
): Promise<Float32Array> {
  const { n, shape, size, pixels, targets } = inputs;
  return imageScores(
    ctx,
    shape,
    n,
    (i) => targets[i],
    (i, out) => out.set(pixels.subarray(i * size, (i + 1) * size)),
  );
}

/** How {@link featureStepCurves} perturbs: the feature order and the per-sample start image. */
export interface FeatureStepPlan {
  /** Features changed per step, an integer in [1, h·w·c]. */
  featuresInStep: number;
  /** Rank the attribution 'descending' (most relevant first) or 'ascending'. */
  order: 'descending' | 'ascending';
  /** Rank |attribution|. */
  abs: boolean;
  /**
   * Called once per sample before its first step: writes the start image into
   * `current` and returns the change of one feature (e.g. set it to the
   * baseline, or to x's value).
   */
  begin: (image: TypedArray, current: Float32Array) => (feature: number) => void;
}

/**
 * Cumulative feature-step curves (pixel flipping, monotonicity): per sample,
 * from `begin`'s start image, the features ranked by `order` are changed
 * `featuresInStep` at a time and the target logit is recorded after every
 * step, K = ⌈size / featuresInStep⌉ points (the start image not among them).
 * Images are made in sample order, so `ctx.rng` draws do not depend on
 * `batchSize`.
 *
 * @returns `curves[i]`, sample i's K logits.
 * @throws InvalidOptionError when `featuresInStep` is not an integer in [1, h·w·c].
 */
export async function featureStepCurves(
  ctx: ResolvedMetricContext,
  plan: FeatureStepPlan,
): Promise<number[][]> {
  const { featuresInStep, order, abs, begin } = plan;
  const layout = sampleLayout(ctx);
  checkFeaturesInStep(featuresInStep, layout.size);
  const { n, shape, size, pixels, attributions, targets } = await perturbationInputs(ctx, layout);
  const steps = Math.ceil(size / featuresInStep);
  let ranked: Int32Array = new Int32Array(0);
  let change: (feature: number) => void = () => {};
  const current = new Float32Array(size);
  const scores = await imageScores(
    ctx,
    shape,
    n * steps,
    (j) => targets[Math.floor(j / steps)],
    (j, out) => {
      const i = Math.floor(j / steps);
      const k = j % steps;
      if (k === 0) {
        change = begin(pixels.subarray(i * size, (i + 1) * size), current);
        ranked = orderFeatures(attributions.subarray(i * size, (i + 1) * size), order, abs);
      }
      const end = Math.min(size, (k + 1) * featuresInStep);
      for (let r = k * featuresInStep; r < end; r++) change(ranked[r]);
      out.set(current);
    },
  );
  return Array.from({ length: n }, (_, i) =>
    Array.from(scores.subarray(i * steps, (i + 1) * steps)),
  );
}
