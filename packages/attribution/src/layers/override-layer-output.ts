import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type LayerCall, replaceLayerCall } from './override-layer-call';

/**
 * Runs `fn` while `layer`'s output, whenever the layer runs on concrete
 * tensors, is replaced by `replace(actualOutput)`. This is how Grad-CAM takes
 * gradients with respect to an intermediate feature map of any functional
 * graph (skip connections included) without rebuilding the model: the layer's
 * `call` is patched on the instance and restored afterwards, even on error.
 */
export function withLayerOutput<T>(
  layer: tfl.layers.Layer,
  replace: (actual: tf.Tensor) => tf.Tensor,
  fn: () => T,
): T {
  const original = (layer as unknown as { call: LayerCall }).call;
  const restore = replaceLayerCall(layer, function patched(this: unknown, inputs, kwargs) {
    const out = original.call(this, inputs, kwargs);
    if (Array.isArray(out)) return out;
    return replace(out);
  });
  try {
    return fn();
  } finally {
    restore();
  }
}
