import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type AttributionMethod,
  absolute,
  explain,
  normalize,
  reduceChannels,
} from '@trustgrad/attribution';

/**
 * A per-sample saliency map in [0, 1], `[batch, h, w, 1]`: the attribution
 * `method` (default Vanilla Gradient `∂f_t/∂x`, Simonyan et al. 2014) for the
 * classes `target` (`[batch]` int32), absolute value, summed over channels,
 * divided by its maximum per sample (an all-zero map stays 0). The model runs
 * in inference mode; no gradient reaches the weights.
 */
export function saliencyMap(
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  target: tf.Tensor1D,
  // biome-ignore lint/suspicious/noExplicitAny: any attribution plugin
  method: string | AttributionMethod<any> = 'vg',
  options: Record<string, unknown> = {},
): tf.Tensor4D {
  return tf.tidy(() => {
    const attributions = explain(method, model, x, { ...options, target, batchSize: x.shape[0] });
    return normalize(reduceChannels(absolute(attributions), 'sum'), 'max-abs') as tf.Tensor4D;
  });
}
