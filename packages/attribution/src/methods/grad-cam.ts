import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import type { ExplainContext } from '../core/explain-context';
import { layerActivations, layerValueAndGradient } from '../layer-attribution/layer-gradients';
import { findLayer, lastConvLayer } from '../layers/find-layer';
import { isLayersModel } from '../model/model-like';

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** Name of the layer whose feature map `A` `[b, h, w, k]` is weighted. Default: the last Conv2D. */
  layer: string | undefined;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): channel weights `α_k = mean_{i,j} ∂f_t/∂A_{ijk}`
 * (global-average-pooled gradients of the explained quantity with respect to a
 * conv feature map `A`), map `L = ReLU(Σ_k α_k A_k)` `[b, h, w]`, upsampled
 * bilinearly (half-pixel centres) to the input's `[H, W]` and copied to every
 * input channel, so the result has the shape of `x` `[b, H, W, C]`.
 *
 * Needs a `tfl.LayersModel` (it reads an intermediate layer) and NHWC input.
 */
export const gradCam = defineAttribution<GradCamOptions>(
  {
    name: 'gradcam',
    description:
      'Grad-CAM: ReLU of gradient-weighted conv feature maps, upsampled (Selvaraju et al. 2017)',
    defaults: { layer: undefined },
    explain(ctx, x, options) {
      const layer = gradCamLayer(ctx, x, options.layer, 'grad-cam');
      const [b, height, width, channels] = x.shape;
      const maps: tf.Tensor[] = [];
      for (let start = 0; start < b; start += ctx.batchSize) {
        const size = Math.min(ctx.batchSize, b - start);
        maps.push(
          tf.tidy(() => {
            const cam = layerGradCam(
              ctx,
              layer,
              tf.slice(x, start, size),
              tf.slice(ctx.targets, start, size),
            );
            const up = tf.image.resizeBilinear(cam, [height, width], false, true);
            return tf.tile(up, [1, 1, 1, channels]);
          }),
        );
      }
      return maps.length === 1 ? maps[0] : tf.concat(maps);
    },
  },
  { replace: true },
);

/** The feature layer of Grad-CAM: `name`, or the last Conv2D; checks the model and `x` first. */
export function gradCamLayer(
  ctx: ExplainContext,
  x: tf.Tensor,
  name: string | undefined,
  method: string,
): tfl.layers.Layer {
  const model = ctx.model;
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      `${method} needs a tfl.LayersModel to read an intermediate feature map; a plain function or predict() object has no layers`,
    );
  }
  if (x.rank !== 4) {
    throw new ShapeError(
      `${method} needs NHWC images [b, h, w, c], got shape [${x.shape.join(', ')}]`,
    );
  }
  return name === undefined ? lastConvLayer(model) : findLayer(model, name);
}

/**
 * Grad-CAM at the layer's own resolution for one chunk: `ReLU(Σ_k α_k A_k)`,
 * `α_k = mean_{i,j} ∂f_t/∂A_{ijk}`, shape `[n, h, w, 1]` (Captum's
 * `LayerGradCam` with `relu_attributions = True`).
 */
export function layerGradCam(
  ctx: ExplainContext,
  layer: tfl.layers.Layer,
  xc: tf.Tensor,
  tc: tf.Tensor1D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const a = layerActivations(ctx, layer, xc);
    if (a.rank !== 4) {
      throw new ShapeError(
        `layer "${layer.name}" outputs shape [${a.shape.join(', ')}]; grad-cam needs a 4-D feature map [b, h, w, k]`,
      );
    }
    const dA = layerValueAndGradient(ctx, layer, xc, a, tc).gradient;
    const alpha = tf.mean(dA, [1, 2], true);
    return tf.relu(tf.sum(tf.mul(alpha, a), 3, true)) as tf.Tensor4D;
  });
}
