import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SeededRandom } from '@trustgrad/core-tensor';

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

/** `batch` seeded U[0, 1) images of `shape`, labelled with the model's own predictions (every sample starts correct). */
export function predictedData(
  model: tfl.LayersModel,
  shape: [number, number, number],
  batch: number,
  seed = 1,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const x = new SeededRandom(seed).uniformTensor([batch, ...shape], 0, 1) as tf.Tensor4D;
  const y = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1)) as tf.Tensor1D;
  return { x, y };
}
