/**
 * @packageDocumentation
 * Feature-map smoothing (FMS, Bhusal, Alam & Rastogi 2026; SPEC 2.1): the bare
 * Gaussian layer that convolves every channel of an intermediate feature map
 * with a normalised Gaussian, the authors' residual block
 * `x + Conv1×1(filter(x))` (Gaussian, mean or median filter), and
 * `insertSmoothing` to put either into any model. Importing the package
 * registers both layers with tfjs serialization.
 */
export { LayerNotFoundError } from './errors/layer-not-found-error';
export { boxFilter } from './filter/box-filter';
export { medianFilter } from './filter/median-filter';
export { authorsWidthRuleSigma } from './kernel/authors-width-rule';
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
export {
  PaperSmoothingBlock,
  type PaperSmoothingBlockArgs,
  paperSmoothingBlock,
} from './layer/paper-smoothing-block';
export {
  type InsertSmoothingOptions,
  insertSmoothing,
  SMOOTHING_BLOCK_KINDS,
  type SmoothingBlockKind,
  type SmoothingPlacement,
} from './model/insert-smoothing';
export { type SmoothingBlockDescription, smoothingBlocks } from './model/smoothing-blocks';
export {
  PAPER_BLOCK_DEFAULTS,
  PAPER_BLOCK_FILTERS,
  PAPER_BLOCK_INITS,
  type PaperBlockFilter,
  type PaperBlockInit,
  type PaperBlockOptions,
  type PaperBlockSigma,
  type ResolvedPaperBlockOptions,
  resolvePaperBlockOptions,
} from './options/paper-block-options';
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
export { separableSmooth } from './smoothing/gaussian-smooth';
export { smoothFeatureMap } from './smoothing/smooth-feature-map';
