import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { findLayer, InvalidOptionError } from '@trustgrad/core-tensor';
import type { ExplainContext } from '../core/explain-context';
import { withLayerOutput } from '../layers/override-layer-output';
import { isLayersModel } from '../model/model-like';
import { targetQuantity } from '../model/target-quantity';

/** The layer named by a layer method's `layer` option (core-tensor's `findLayer`). */
export function resolveLayer(
  ctx: ExplainContext,
  layer: string | number | undefined,
  method: string,
): tfl.layers.Layer {
  if (!isLayersModel(ctx.model)) {
    throw new InvalidOptionError(
      `${method} needs a tfl.LayersModel to read a layer; a plain function or predict() object has no layers`,
    );
  }
  if (layer === undefined) {
    throw new InvalidOptionError(
      `${method} needs { layer: '<name>' } (or an index): the layer whose output is attributed`,
    );
  }
  return findLayer(ctx.model, layer);
}

/** The output `A` of `layer` on `xs` (its last output if the layer runs twice), `[n, ...]`. */
export function layerActivations(
  ctx: ExplainContext,
  layer: tfl.layers.Layer,
  xs: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    let captured: tf.Tensor | undefined;
    withLayerOutput(
      layer,
      (actual) => {
        captured?.dispose();
        captured = tf.keep(actual.clone());
        return actual;
      },
      () => ctx.logits(xs),
    );
    if (!captured) {
      throw new InvalidOptionError(`layer "${layer.name}" did not run when the model was applied`);
    }
    const out = captured.clone();
    captured.dispose();
    return out;
  });
}

/** {@link layerActivations} in chunks of `batchSize` samples. */
export function chunkedActivations(
  ctx: ExplainContext,
  layer: tfl.layers.Layer,
  x: tf.Tensor,
): tf.Tensor {
  if (x.shape[0] <= ctx.batchSize) return layerActivations(ctx, layer, x);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < x.shape[0]; start += ctx.batchSize) {
      const size = Math.min(ctx.batchSize, x.shape[0] - start);
      parts.push(layerActivations(ctx, layer, tf.slice(x, start, size)));
    }
    return tf.concat(parts);
  });
}

/**
 * `f_t` of the model run on `xs` with `layer`'s output replaced by `fed`, and
 * its gradient `∂f_t/∂A` at `A = fed` (`[n, ...]` like `fed`). `targets` are
 * given per row of `xs`.
 */
export function layerValueAndGradient(
  ctx: ExplainContext,
  layer: tfl.layers.Layer,
  xs: tf.Tensor,
  fed: tf.Tensor,
  targets: tf.Tensor1D,
): { value: tf.Tensor1D; gradient: tf.Tensor } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((a: tf.Tensor) =>
      withLayerOutput(
        layer,
        // A clone: tfjs-layers disposes intermediate outputs, which must not be `a` itself.
        () => tf.clone(a),
        () => targetQuantity(ctx.logits(xs), targets, ctx.output),
      ),
    )(fed);
    return { value: value as tf.Tensor1D, gradient: grad };
  });
}
