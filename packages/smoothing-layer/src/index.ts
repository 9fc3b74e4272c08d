/**
 * @packageDocumentation
 * Feature-map smoothing (FMS, Bhusal, Alam & Rastogi 2026; SPEC 2.1): a tfjs
 * layer that convolves every channel of an intermediate feature map with a
 * normalised Gaussian, and `insertSmoothing` to put it into any model.
 * Importing the package registers the layer with tfjs serialization.
 */
export { LayerNotFoundError } from './errors/layer-not-found-error';
export { SIGMA_FLOOR, defaultKernelSize, gaussianKernel1d, gaussianKernel2d, gaussianTaps } from './kernel/gaussian-kernel';
export { threeTapFactors } from './kernel/three-tap-factors';
export { GaussianSmoothing, gaussianSmoothing, type GaussianSmoothingArgs } from './layer/gaussian-smoothing';
export { insertSmoothing, type InsertSmoothingOptions } from './model/insert-smoothing';
export {
  SMOOTHING_DEFAULTS,
  SMOOTHING_PADDINGS,
  resolveSmoothingOptions,
  type ResolvedSmoothingOptions,
  type SmoothingOptions,
  type SmoothingPadding,
} from './options/smoothing-options';
export { padFeatureMap } from './padding/pad-feature-map';
export { smoothFeatureMap } from './smoothing/smooth-feature-map';
