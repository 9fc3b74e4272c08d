import type * as tf from '@tensorflow/tfjs-core';

/**
 * How the perturbation methods that score groups of features (Feature
 * Ablation, Kernel SHAP, Shapley Value Sampling) group them: by a user mask,
 * by a patch grid, or every scalar feature alone (both `undefined`, Captum's
 * default). {@link groupIds} reads them; {@link denseGroups} numbers the groups.
 */
export interface FeatureGroupingOptions {
  /**
   * Group id (a non-negative integer) of every feature: the features of a
   * group are perturbed together (Captum's `feature_mask`), e.g. superpixels.
   * Shape `[h, w]` (NHWC images: every channel of a pixel in one group),
   * `[...sample]`, or `[b | 1, ...sample]` with size-1 axes broadcast. Default
   * `undefined`: every scalar feature is its own group (Captum's default).
   */
  featureMask: tf.Tensor | undefined;
  /** `[ph, pw]`: groups are the cells of a grid of ph×pw patches (NHWC images; the last row/column may be smaller). Excludes `featureMask`. */
  patchSize: [number, number] | undefined;
}

/** The defaults of {@link FeatureGroupingOptions}: every feature its own group. */
export const FEATURE_GROUPING_DEFAULTS: FeatureGroupingOptions = Object.freeze({
  featureMask: undefined,
  patchSize: undefined,
});
