import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { explain, reduceChannels } from '@trustgrad/attribution';
import { giniIndex } from '@trustgrad/metrics';
import type { ImagePixels } from '../image/image-pixels';

/** One explainer's map of one image under one model, with what the page shows beside it. */
export interface SaliencyMap {
  height: number;
  width: number;
  /** The attribution summed over channels, `height × width` row-major (signed, the explainer's units). */
  values: Float32Array;
  /** Gini sparsity of |attribution| over every pixel and channel (the bench's `gini` for this one image). */
  gini: number;
  /** The model's predicted class (the class explained: the bench's default target) and its softmax probability. */
  predicted: number;
  probability: number;
}

/**
 * Explains `image` with a registered explainer (`vg`, `ig`, …) on the active
 * backend, with the options the bench used, and measures the map's Gini.
 */
export async function saliencyMap(
  model: tfl.LayersModel,
  image: ImagePixels,
  explainer: string,
  options: Record<string, unknown> = {},
): Promise<SaliencyMap> {
  const x = tf.tensor4d(image.data, [1, image.height, image.width, image.channels]);
  const attribution = explain(explainer, model, x, options);
  const [summed, gini, probabilities] = tf.tidy(() => [
    reduceChannels(attribution, 'sum'),
    giniIndex(attribution),
    tf.softmax(model.predict(x) as tf.Tensor2D),
  ]);
  try {
    const probs = Array.from(await probabilities.data());
    const predicted = probs.indexOf(Math.max(...probs));
    return {
      height: image.height,
      width: image.width,
      values: (await summed.data()) as Float32Array,
      gini: (await gini.data())[0],
      predicted,
      probability: probs[predicted],
    };
  } finally {
    tf.dispose([x, attribution, summed, gini, probabilities]);
  }
}
