/**
 * @packageDocumentation
 * Feature-map smoothing (FMS, Bhusal, Alam & Rastogi 2026; SPEC 2.1): a tfjs
 * layer that convolves every channel of an intermediate feature map with a
 * normalised Gaussian, and `insertSmoothing` to put it into any model.
 * Importing the package registers the layer with tfjs serialization.
 */
export { LayerNotFoundError } from './errors/layer-not-found-error';
export {
  defaultKernelSize,
  gaussianKernel1d,
  gaussianKernel2d,
  gaussianTaps,
  SIGMA_FLOOR,
} from './kernel/gaussian-kernel';
export { threeTapFactors } from './kernel/three-tap-factors';
export {
  GaussianSmoothing,
  type GaussianSmoothingArgs,
  gaussianSmoothing,
} from './layer/gaussian-smoothing';
export { type InsertSmoothingOptions, insertSmoothing } from './model/insert-smoothing';
export {
  type ResolvedSmoothingOptions,
  resolveSmoothingOptions,
  SMOOTHING_DEFAULTS,
  SMOOTHING_OPTION_DEFAULTS,
  SMOOTHING_PADDINGS,
  type SmoothingOptions,
  type SmoothingPadding,
} from './options/smoothing-options';
export { padFeatureMap } from './padding/pad-feature-map';
export { smoothFeatureMap } from './smoothing/smooth-feature-map';
