import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A layer's `call(inputs, kwargs)`. */
export type LayerCall = (
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

/**
 * Replaces `layer.call` on the instance by `call` and returns the function
 * that restores it (removing the own property when the method came from the
 * prototype). The one place trustgrad patches a layer's computation.
 */
export function replaceLayerCall(layer: tfl.layers.Layer, call: LayerCall): () => void {
  const target = layer as unknown as { call: LayerCall };
  const hadOwn = Object.hasOwn(target, 'call');
  const original = target.call;
  target.call = call;
  return () => {
    if (hadOwn) target.call = original;
    else delete (target as Partial<{ call: LayerCall }>).call;
  };
}
