import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';

/**
 * Anything trustgrad can explain: a `tfl.LayersModel`, any object with a
 * `predict(x)` that returns logits, or a plain function `(x) => logits`.
 * Whatever it is, it must map an NHWC batch `[b, ...]` to logits `[b, classes]`
 * (pre-softmax) and be differentiable with `tf.grad`.
 */
export type ModelLike =
  | tfl.LayersModel
  | { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] }
  | ModelFunction;

/**
 * `(x) => logits`. Declared as a method so its parameter is bivariant: a
 * function typed for image batches, `(x: tf.Tensor4D) => tf.Tensor`, fits too
 * (the metrics' models are written that way).
 */
export type ModelFunction = { bivariant(x: tf.Tensor): tf.Tensor }['bivariant'];

/** A function from an input batch `[b, ...]` to logits `[b, classes]`. */
export type LogitsFunction = (x: tf.Tensor) => tf.Tensor2D;

/** Whether `model` is a tfjs-layers model (duck-typed so two copies of tfjs-layers still match). */
export function isLayersModel(model: unknown): model is tfl.LayersModel {
  const m = model as Partial<tfl.LayersModel> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    Array.isArray(m.layers) &&
    typeof m.apply === 'function' &&
    Array.isArray(m.inputs)
  );
}

/**
 * Turns a {@link ModelLike} into a {@link LogitsFunction}. A LayersModel runs
 * through `model.apply(x, { training: false })` (not `predict`, which splits the
 * batch into chunks of 32 and would slow gradients down).
 */
export function toLogitsFunction(model: ModelLike): LogitsFunction {
  let run: (x: tf.Tensor) => tf.Tensor | tf.Tensor[];
  if (isLayersModel(model)) {
    run = (x) => model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  } else if (typeof model === 'function') {
    run = model;
  } else if (model && typeof (model as { predict?: unknown }).predict === 'function') {
    const predictor = model as { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] };
    run = (x) => predictor.predict(x);
  } else {
    throw new InvalidOptionError(
      'model is not explainable: expected a tfl.LayersModel, an object with predict(x) or a function (x) => logits',
    );
  }
  return (x) => {
    const out = run(x);
    if (Array.isArray(out)) {
      throw new ShapeError(
        `model returned ${out.length} outputs, expected one logits tensor [batch, classes]; ` +
          'wrap it in a function that returns the logits output',
      );
    }
    if (out.rank !== 2 || out.shape[0] !== x.shape[0]) {
      throw new ShapeError(
        `model output has shape [${out.shape.join(', ')}] for an input batch of ${x.shape[0]}, ` +
          `expected logits [${x.shape[0]}, classes]`,
      );
    }
    return out as tf.Tensor2D;
  };
}
