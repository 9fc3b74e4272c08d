import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  type ResolvedSmoothingOptions,
  resolveSmoothingOptions,
  type SmoothingOptions,
  type SmoothingPadding,
} from '../options/smoothing-options';
import { gaussianSmooth } from '../smoothing/gaussian-smooth';
import { FeatureMapLayer, type LayerArgs } from './feature-map-layer';

/** Constructor arguments of {@link GaussianSmoothing}: the smoothing options plus tfjs's layer args (`name`, …). */
export interface GaussianSmoothingArgs extends SmoothingOptions, LayerArgs {}

/**
 * The feature-map smoothing block of Bhusal, Alam & Rastogi 2026 (FMS, SPEC
 * 2.1): convolves every channel of an NHWC feature map with the same
 * normalised Gaussian `g(i,j) = exp(-(i²+j²)/(2σ²))/Z`, `i,j ∈ [-r, r]`.
 * Depthwise, stride 1, output shape = input shape. With `trainableSigma` it
 * owns one weight, `log_sigma`, and σ = exp(log σ) is learned; otherwise it has
 * no weights. Serialisable: `model.save` / `tf.loadLayersModel` restore it
 * (importing this package registers the class).
 *
 * Input `[batch, height, width, channels]`, output the same shape.
 *
 * @example
 * const model = tfl.sequential({ layers: [
 *   tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same' }),
 *   new GaussianSmoothing({ sigma: 1 }),
 * ] });
 */
export class GaussianSmoothing extends FeatureMapLayer {
  /** The name tfjs serialises the layer under. */
  static className = 'GaussianSmoothing';

  /** σ in pixels as configured (the initial σ when trainable; see {@link currentSigma}). */
  readonly sigma: number;
  /** Taps per axis, odd. */
  readonly kernelSize: number;
  /** Border handling. */
  readonly padding: SmoothingPadding;
  /** Whether σ is learned through `log_sigma`. */
  readonly trainableSigma: boolean;

  private logSigma: tfl.LayerVariable | null = null;

  constructor(args: GaussianSmoothingArgs = {}) {
    super(args);
    const resolved: ResolvedSmoothingOptions = resolveSmoothingOptions(args);
    this.sigma = resolved.sigma;
    this.kernelSize = resolved.kernelSize;
    this.padding = resolved.padding;
    this.trainableSigma = resolved.trainableSigma;
  }

  protected override readonly reflectFix = "use a smaller sigma/kernelSize or padding 'replicate'";

  protected buildWeights(): void {
    if (this.trainableSigma) {
      this.logSigma = this.addWeight(
        'log_sigma',
        [],
        'float32',
        tfl.initializers.constant({ value: Math.log(this.sigma) }),
        undefined,
        true,
      );
    }
  }

  protected transform(x: tf.Tensor4D): tf.Tensor {
    const sigma = this.logSigma ? (tf.exp(this.logSigma.read()) as tf.Scalar) : this.sigma;
    return gaussianSmooth(x, sigma, this.kernelSize, this.padding);
  }

  /** σ in use now: the learned `exp(log_sigma)` when trainable, else the configured σ. */
  currentSigma(): number {
    if (!this.logSigma) return this.sigma;
    return Math.exp(this.logSigma.read().dataSync()[0]);
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { sigma: this.sigma, trainableSigma: this.trainableSigma };
  }
}

tf.serialization.registerClass(GaussianSmoothing);

/**
 * Creates a {@link GaussianSmoothing} layer, in the style of `tf.layers.*`.
 *
 * @example
 * const smooth = gaussianSmoothing({ sigma: 1.5, padding: 'replicate' });
 * const y = smooth.apply(featureMap); // same shape as featureMap
 */
export function gaussianSmoothing(args: GaussianSmoothingArgs = {}): GaussianSmoothing {
  return new GaussianSmoothing(args);
}
