import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '@trustgrad/core-tensor';
import type { SmoothingPadding } from '../options/smoothing-options';
import { singleFeatureMapShape } from '../shape/single-feature-map-shape';

/**
 * tfjs's `LayerArgs` (`name`, `trainable`, `inputShape`, …), taken from the public
 * `tfl.layers.Layer` constructor: tfjs-layers does not export the type, and a deep
 * import of `dist/engine/topology` does not resolve for users under
 * `moduleResolution: node16` (no file extension, no exports map).
 */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/**
 * What the smoothing layers share: one NHWC feature map in, the same shape
 * out, a `kernelSize × kernelSize` window with a border rule. This base does
 * the tfjs layer plumbing once — the shape checks, the reflect-padding fit,
 * unwrapping the single input inside `tf.tidy`, and the `kernelSize` /
 * `padding` part of the serialised config — so each layer states only its
 * weights ({@link buildWeights}), its map ({@link transform}) and its own
 * config ({@link ownConfig}).
 */
export abstract class FeatureMapLayer extends tfl.layers.Layer {
  /** Window side, odd. */
  abstract readonly kernelSize: number;
  /** Border handling of the window. */
  abstract readonly padding: SmoothingPadding;

  /** Adds the layer's weights for an input of `shape` (`[batch, h, w, c]`, c known). */
  protected abstract buildWeights(shape: tfl.Shape): void;
  /** The layer's output for one feature map `[batch, h, w, c]`, same shape; runs inside `tf.tidy`. */
  protected abstract transform(x: tf.Tensor4D): tf.Tensor;
  /** The layer's own serialised options, beside `kernelSize` and `padding`. */
  protected abstract ownConfig(): tf.serialization.ConfigDict;
  /** What to change when reflect padding does not fit, for the error message. */
  protected readonly reflectFix: string = "use a smaller kernelSize or padding 'replicate'";

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleFeatureMapShape(inputShape, this.name);
    // Reflect padding mirrors r pixels without repeating the edge, so it needs more than r of them.
    const r = (this.kernelSize - 1) / 2;
    const [, height, width] = shape;
    if (
      this.padding === 'reflect' &&
      ((height !== null && r >= height) || (width !== null && r >= width))
    ) {
      throw new ShapeError(
        `layer "${this.name}": reflect padding by ${r} (kernelSize ${this.kernelSize}) needs feature maps larger than ${r}×${r}, ` +
          `got ${height}×${width}; ${this.reflectFix}`,
      );
    }
    this.buildWeights(shape);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleFeatureMapShape(inputShape, this.name);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (Array.isArray(inputs) && inputs.length !== 1) {
        throw new ShapeError(
          `layer "${this.name}" takes one feature map, got ${inputs.length} inputs`,
        );
      }
      return this.transform((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      padding: this.padding,
      ...this.ownConfig(),
    };
  }
}
