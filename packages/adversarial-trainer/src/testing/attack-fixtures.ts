import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SeededRandom } from '@trustgrad/core-tensor';
import { tinyMlp } from './tiny-models';

/** The fixed MLP a reference JSON (written by `src/attacks/reference/make-*-reference.py`) describes. */
export interface ReferenceMlp {
  shape: [number, number, number, number];
  weights: { k1: number[]; b1: number[]; k2: number[]; b2: number[] };
  hidden: number;
  classes: number;
}

/** flatten → dense(hidden, relu) → dense(classes) with the reference's weights (PyTorch's `[in, out]` layout). */
export function referenceMlp(ref: ReferenceMlp): tfl.LayersModel {
  const [, h, w, c] = ref.shape;
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: [h, w, c] }));
  model.add(tfl.layers.dense({ units: ref.hidden, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: ref.classes }));
  const { k1, b1, k2, b2 } = ref.weights;
  model.setWeights([
    tf.tensor2d(k1, [h * w * c, ref.hidden]),
    tf.tensor1d(b1),
    tf.tensor2d(k2, [ref.hidden, ref.classes]),
    tf.tensor1d(b2),
  ]);
  return model;
}

/** The images of the attack tests: 6×6, one channel, so that every attack runs in milliseconds on the CPU. */
export const ATTACK_TEST_SHAPE: [number, number, number] = [6, 6, 1];

/** `batch` seeded U[0, 1) images of `shape`, labelled with the model's own predictions (every sample starts correct). */
export function predictedData(
  model: tfl.LayersModel,
  batch: number,
  seed = 1,
  shape: [number, number, number] = ATTACK_TEST_SHAPE,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const x = new SeededRandom(seed).uniformTensor([batch, ...shape], 0, 1) as tf.Tensor4D;
  const y = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
  return { x, y };
}

/**
 * A {@link tinyMlp} (16 hidden units, 4 classes, `seed`) whose logits are ×1e4:
 * the same decisions, but the softmax saturates and the cross-entropy gradient
 * underflows to 0 — the gradient masking APGD-DLR and Square must see through.
 */
export function saturatedMlp(
  seed: number,
  shape: [number, number, number] = ATTACK_TEST_SHAPE,
): tfl.LayersModel {
  const model = tinyMlp(shape, 16, 4, seed);
  const last = model.layers[model.layers.length - 1];
  last.setWeights(last.getWeights().map((w) => tf.mul(w, 1e4)));
  return model;
}

/** Per sample: does `model` classify `x` as `y`? (inference mode) */
export function correctlyClassified(
  model: tfl.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor1D,
): boolean[] {
  return tf.tidy(() =>
    Array.from(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, 1), y).dataSync(), Boolean),
  );
}

/** How many samples of `x` `model` classifies as `y`: the robust count of an attack's output. */
export function robustCount(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor1D): number {
  return correctlyClassified(model, x, y).filter(Boolean).length;
}

/** `max |t|` over every element, e.g. of a difference of two attacks' outputs or of a perturbation. */
export function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
}
