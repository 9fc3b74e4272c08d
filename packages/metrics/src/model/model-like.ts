import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { isLayersModel, type ModelLike, toLogitsFunction } from '@trustgrad/attribution';
import { findLayer, InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * A classifier the metrics can run: attribution's `ModelLike` (one type for
 * the whole project): a `tfl.LayersModel`, an object with `predict(x)` or a
 * function, mapping an NHWC batch `[n, h, w, c]` to logits `[n, classes]`
 * (pre-softmax). It must be differentiable with `tf.grad` for the metrics that
 * take input gradients (curvature, the default background attack of
 * explanation consistency).
 */
export type { ModelLike };

/**
 * Explains a batch: returns an attribution of `x`'s shape `[n, h, w, c]` for
 * class `target[i]` of sample i (int32 `[n]`; when absent, the predicted class).
 * The returned tensor is owned (and disposed) by the caller. The bench adapts
 * `@trustgrad/attribution`'s `explain(model, x, { target })` into this.
 */
export type Explainer = (
  x: tf.Tensor4D,
  target?: tf.Tensor1D,
) => tf.Tensor4D | Promise<tf.Tensor4D>;

/**
 * Attack callback used by robust accuracy and adversarial class retrieval:
 * returns adversarial inputs of `x`'s shape for true labels `y` (int32 `[n]`).
 * The attacks themselves live in `@trustgrad/adversarial-trainer`.
 */
export type AttackFn = (
  model: ModelLike,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
) => tf.Tensor4D | Promise<tf.Tensor4D>;

/** Logits `[n, classes]` of `model` on `x`, differentiable (no internal batching). */
export function logitsOf(model: ModelLike, x: tf.Tensor4D): tf.Tensor2D {
  // attribution's adapter: LayersModels run in inference mode, outputs checked to be [n, classes].
  return toLogitsFunction(model)(x);
}

/** Logits of `model` on `x`, computed `batchSize` samples at a time. */
export function batchedLogits(model: ModelLike, x: tf.Tensor4D, batchSize: number): tf.Tensor2D {
  return mapBatches(x, batchSize, (chunk) => logitsOf(model, chunk)) as tf.Tensor2D;
}

/** Predicted class per sample (int32 `[n]`), batched. */
export function predictClasses(model: ModelLike, x: tf.Tensor4D, batchSize: number): tf.Tensor1D {
  return mapBatches(x, batchSize, (chunk) =>
    tf.tidy(() => tf.argMax(logitsOf(model, chunk), 1)),
  ) as tf.Tensor1D;
}

/** Applies `fn` to `batchSize`-sized slices of `x` along axis 0 and concatenates the results. */
export function mapBatches(
  x: tf.Tensor4D,
  batchSize: number,
  fn: (chunk: tf.Tensor4D) => tf.Tensor,
): tf.Tensor {
  const n = x.shape[0];
  if (n <= batchSize) return tf.tidy(() => fn(x));
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => fn(tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]))));
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

/**
 * A model from `model`'s input to the output of its layer `layerName`, for the
 * relative representation stability. Fails with core-tensor's
 * `LayerNotFoundError` listing the layer names when there is no such layer.
 */
export function representationModel(model: ModelLike, layerName: string): tfl.LayersModel {
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      `representation "${layerName}" needs a tfl.LayersModel to read an internal layer from, got a function; ` +
        'pass the LayersModel itself, or leave out the representation-based metric (rrs)',
    );
  }
  const layer = findLayer(model, layerName);
  return tfl.model({ inputs: model.inputs, outputs: layer.output as tfl.SymbolicTensor });
}
