import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mixSeed, ShapeError } from '@trustgrad/core-tensor';
import { boxFilter } from '../filter/box-filter';
import { medianFilter } from '../filter/median-filter';
import { authorsWidthRuleSigma } from '../kernel/authors-width-rule';
import {
  type PaperBlockFilter,
  type PaperBlockInit,
  type PaperBlockOptions,
  type PaperBlockSigma,
  resolvePaperBlockOptions,
} from '../options/paper-block-options';
import type { SmoothingPadding } from '../options/smoothing-options';
import { gaussianSmooth } from '../smoothing/gaussian-smooth';
import { FeatureMapLayer, type LayerArgs } from './feature-map-layer';

/** Constructor arguments of {@link PaperSmoothingBlock}: the block's options plus tfjs's layer args (`name`, …). */
export interface PaperSmoothingBlockArgs extends PaperBlockOptions, LayerArgs {}

/**
 * The feature-map smoothing block as the FMS authors' code builds it
 * (`filter_denoising_block` in dipkamal/robustness_plus_smoothing; SPEC 2.1):
 * a residual around a fixed filter and a learned 1×1 convolution,
 *
 * `y = x + W ⋆ filter(x) + b`,   W `[1, 1, C, C]`, b `[C]` learned,
 *
 * with `filter` the `k×k` Gaussian (σ a number or the authors' width rule,
 * see {@link authorsWidthRuleSigma}), the mean (box) or the median filter,
 * each with kornia's border rule by default. Unlike the bare
 * {@link GaussianSmoothing} it has `C² + C` weights (`kernel`, `bias`), so a
 * freshly built block is not the identity: the 1×1 convolution starts as
 * PyTorch's does (see {@link PaperBlockInit}). Serialisable: `model.save` /
 * `tf.loadLayersModel` restore it (importing this package registers the class).
 *
 * Input `[batch, height, width, channels]`, output the same shape.
 *
 * @example
 * const block = new PaperSmoothingBlock({ filter: 'gaussian' }); // 3×3, σ from the width, reflect
 * const y = block.apply(featureMap); // [b, 12, 12, 6] → [b, 12, 12, 6], σ = 2.15
 */
export class PaperSmoothingBlock extends FeatureMapLayer {
  /** The name tfjs serialises the layer under. */
  static className = 'PaperSmoothingBlock';

  /** The filter inside the residual. */
  readonly filter: PaperBlockFilter;
  /** Window side, odd. */
  readonly kernelSize: number;
  /** σ of the Gaussian (pixels or the authors' rule); null for the mean and median filters. */
  readonly sigma: PaperBlockSigma | null;
  /** Border handling of the filter. */
  readonly padding: SmoothingPadding;
  /** How the 1×1 convolution was initialised. */
  readonly init: PaperBlockInit;
  /** Seed of that initialisation. */
  readonly seed: number;

  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: PaperSmoothingBlockArgs = {}) {
    super(args);
    const resolved = resolvePaperBlockOptions(args);
    this.filter = resolved.filter;
    this.kernelSize = resolved.kernelSize;
    this.sigma = resolved.sigma;
    this.padding = resolved.padding;
    this.init = resolved.init;
    this.seed = resolved.seed;
  }

  protected buildWeights(shape: tfl.Shape): void {
    const c = shape[3] as number;
    // PyTorch's Conv2d default, kaiming-uniform(a = √5): bound = gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3), so 1/√fan_in.
    const bound = 1 / Math.sqrt(c);
    const kernelInitializer =
      this.init === 'he-normal-fan-out'
        ? tfl.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / c), seed: this.seed })
        : tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed: this.seed });
    this.kernel = this.addWeight('kernel', [1, 1, c, c], 'float32', kernelInitializer);
    this.bias = this.addWeight(
      'bias',
      [c],
      'float32',
      tfl.initializers.randomUniform({
        minval: -bound,
        maxval: bound,
        seed: mixSeed(this.seed, 'bias'),
      }),
    );
  }

  protected transform(x: tf.Tensor4D): tf.Tensor {
    if (!this.kernel || !this.bias) {
      throw new ShapeError(`layer "${this.name}" was called before it was built`);
    }
    const mixed = tf.add(
      tf.conv2d(this.applyFilter(x), this.kernel.read() as tf.Tensor4D, 1, 'valid'),
      this.bias.read(),
    );
    return tf.add(x, mixed);
  }

  /** σ in pixels the Gaussian uses on a map of this width; null for the mean and median filters. */
  sigmaForWidth(width: number): number | null {
    if (this.sigma === null) return null;
    return this.sigma === 'authors-width-rule' ? authorsWidthRuleSigma(width) : this.sigma;
  }

  /** `filter(x)`, the part inside the residual before the 1×1 convolution. */
  applyFilter(x: tf.Tensor4D): tf.Tensor4D {
    if (this.filter === 'mean') return boxFilter(x, this.kernelSize, this.padding);
    if (this.filter === 'median') return medianFilter(x, this.kernelSize, this.padding);
    return gaussianSmooth(
      x,
      this.sigmaForWidth(x.shape[2]) as number,
      this.kernelSize,
      this.padding,
    );
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return {
      filter: this.filter,
      ...(this.sigma === null ? {} : { sigma: this.sigma }),
      init: this.init,
      seed: this.seed,
    };
  }
}

tf.serialization.registerClass(PaperSmoothingBlock);

/**
 * Creates a {@link PaperSmoothingBlock} layer, in the style of `tf.layers.*`.
 *
 * @example
 * const block = paperSmoothingBlock({ filter: 'median' }); // 3×3 median, zero borders
 */
export function paperSmoothingBlock(args: PaperSmoothingBlockArgs = {}): PaperSmoothingBlock {
  return new PaperSmoothingBlock(args);
}
