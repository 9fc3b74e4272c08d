import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { allLayers } from '@trustgrad/core-tensor';
import { replaceLayerCall } from './override-layer-call';

type Layer = tfl.layers.Layer;
interface ActivationLike {
  getClassName(): string;
  apply(x: tf.Tensor): tf.Tensor;
}

/** A replacement for `relu(z)` given the pre-activation `z` and the layer it belongs to. */
export type ReluReplacement = (z: tf.Tensor, layer: Layer) => tf.Tensor;

/**
 * Runs `fn` with every ReLU of `model` computed by `relu(z, layer)` instead:
 * the `activation: 'relu'` of any layer (Conv2D, Dense, Activation, ...) and
 * `ReLU` layers without a `maxValue`, nested models included. This is how
 * Guided Backpropagation, Deconvolution and DeepLIFT change the gradient of
 * ReLU (a `tf.customGrad` in `relu`) without rebuilding the model. The
 * replacement's class name is not `'relu'`, so tfjs-layers does not fuse it
 * into the conv/matmul kernel. Every patched layer is restored afterwards,
 * even when `fn` throws. Returns `fn()` and the number of ReLUs replaced.
 */
export function withReluOverride<T>(
  model: tfl.LayersModel,
  relu: ReluReplacement,
  fn: () => T,
): { result: T; replaced: number } {
  const restore: (() => void)[] = [];
  try {
    for (const layer of allLayers(model)) {
      const holder = layer as unknown as { activation?: ActivationLike | null; maxValue?: number };
      const activation = holder.activation;
      if (activation && activation.getClassName() === 'relu') {
        holder.activation = {
          getClassName: () => 'trustgrad-relu-override',
          apply: (z) => relu(z, layer),
        };
        restore.push(() => {
          holder.activation = activation;
        });
      } else if (layer.getClassName() === 'ReLU' && holder.maxValue == null) {
        restore.push(
          replaceLayerCall(layer, (inputs) =>
            relu(Array.isArray(inputs) ? inputs[0] : inputs, layer),
          ),
        );
      }
    }
    return { result: fn(), replaced: restore.length };
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
