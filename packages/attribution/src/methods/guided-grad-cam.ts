import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import { withReluOverride } from '../layers/override-relu';
import { gradCamLayer, layerGradCam } from './grad-cam';
import { guidedRelu } from './guided-relu';

/** Options of {@link guidedGradCam}. */
export interface GuidedGradCamOptions {
  /** Layer whose feature map Grad-CAM weights. Default: the last Conv2D. */
  layer: string | undefined;
  /** How the layer-resolution Grad-CAM is upsampled to the input: `'nearest'` (Captum's default) or `'bilinear'`. */
  interpolation: 'nearest' | 'bilinear';
}

/**
 * Guided Grad-CAM (Selvaraju et al. 2017), as Captum's `GuidedGradCam`: the
 * Guided Backpropagation map times the Grad-CAM map of `layer` upsampled to
 * the input size, `A = GB(x) ⊙ up(ReLU(Σ_k α_k A_k))`, the one-channel CAM
 * broadcast over the input's channels. Grad-CAM uses the ordinary gradient;
 * Guided Backpropagation swaps the ReLU gradients for the call only. Needs a
 * `tfl.LayersModel` and NHWC input; chunks of `batchSize` images. Shape like `x`.
 */
export const guidedGradCam = defineAttribution<GuidedGradCamOptions>(
  {
    name: 'guided-gradcam',
    description:
      'Guided Grad-CAM: Guided Backpropagation times the upsampled Grad-CAM of a conv layer (Selvaraju et al. 2017, Captum)',
    defaults: { layer: undefined, interpolation: 'nearest' },
    explain(ctx, x, options) {
      if (options.interpolation !== 'nearest' && options.interpolation !== 'bilinear') {
        throw new InvalidOptionError(
          `interpolation "${String(options.interpolation)}" is unknown; use 'nearest' or 'bilinear'`,
        );
      }
      const layer = gradCamLayer(ctx, x, options.layer, 'guided-gradcam');
      const [b, height, width] = x.shape;
      const model = ctx.model as tfl.LayersModel;
      const maps: tf.Tensor[] = [];
      for (let start = 0; start < b; start += ctx.batchSize) {
        const size = Math.min(ctx.batchSize, b - start);
        maps.push(
          tf.tidy(() => {
            const xc = tf.slice(x, start, size);
            const tc = tf.slice(ctx.targets, start, size);
            const cam = layerGradCam(ctx, layer, xc, tc);
            const up =
              options.interpolation === 'nearest'
                ? tf.image.resizeNearestNeighbor(cam, [height, width])
                : tf.image.resizeBilinear(cam, [height, width], false, true);
            const guided = withReluOverride(
              model,
              (z) => guidedRelu(z),
              () => ctx.gradient(xc, tc),
            ).result;
            return tf.mul(guided, up);
          }),
        );
      }
      return maps.length === 1 ? maps[0] : tf.concat(maps);
    },
  },
  { replace: true },
);
