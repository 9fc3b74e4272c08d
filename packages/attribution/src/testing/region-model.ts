// Test fixture (not exported): a tiny zoo CNN trained on synthetic images whose
// class is decided by which quadrant holds a bright square, so the ground-truth
// evidence of every image is known.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fmnistCnn, SeededRandom } from '@trustgrad/core-tensor';

export const REGION_SIZE = 16;
export const SQUARE = 4;

/** Classes: a square in quadrant 0 (top-left), 1 (top-right), 2 (bottom-left), 3 (bottom-right), or 4: no square. */
export const REGION_CLASSES = 5;

/**
 * `[n, 16, 16, 1]` images: noise in [0, 0.3] plus, for labels 0–3, a bright 4×4
 * square inside quadrant `label`; `masks` is 1 on that quadrant. The empty class
 * keeps every quadrant class from being learnt as "none of the others".
 * `squaresOnly` draws labels 0–3 only.
 */
export function regionImages(
  n: number,
  seed: number,
  squaresOnly = false,
): { x: tf.Tensor4D; labels: number[]; masks: tf.Tensor4D } {
  const rng = new SeededRandom(seed);
  const pixels = new Float32Array(n * REGION_SIZE * REGION_SIZE);
  const mask = new Float32Array(n * REGION_SIZE * REGION_SIZE);
  const labels: number[] = [];
  const half = REGION_SIZE / 2;
  for (let s = 0; s < n; s++) {
    const label = rng.int(squaresOnly ? 4 : REGION_CLASSES);
    labels.push(label);
    const hasSquare = label < 4;
    const top = (label >= 2 ? half : 0) + rng.int(half - SQUARE + 1);
    const left = (label % 2 === 1 ? half : 0) + rng.int(half - SQUARE + 1);
    for (let i = 0; i < REGION_SIZE; i++) {
      for (let j = 0; j < REGION_SIZE; j++) {
        const at = (s * REGION_SIZE + i) * REGION_SIZE + j;
        const inside = hasSquare && i >= top && i < top + SQUARE && j >= left && j < left + SQUARE;
        pixels[at] = inside ? 0.8 + 0.2 * rng.uniform() : 0.3 * rng.uniform();
        const inQuadrant = hasSquare && i >= half === label >= 2 && j >= half === (label % 2 === 1);
        mask[at] = inQuadrant ? 1 : 0;
      }
    }
  }
  const shape: [number, number, number, number] = [n, REGION_SIZE, REGION_SIZE, 1];
  return { x: tf.tensor4d(pixels, shape), labels, masks: tf.tensor4d(mask, shape) };
}

let cached: tfl.LayersModel | undefined;

/** The fmnistCnn architecture (conv1, pool1, conv2, pool2, flatten, fc1, logits) at 16×16, 5 classes, trained briefly on `regionImages`. */
export function trainedRegionCnn(): tfl.LayersModel {
  if (cached) return cached;
  const model = fmnistCnn({
    seed: 7,
    inputShape: [REGION_SIZE, REGION_SIZE, 1],
    numClasses: REGION_CLASSES,
    filters: [4, 8],
    hiddenUnits: 16,
  });
  const optimizer = tf.train.adam(0.02);
  for (let step = 0; step < 30; step++) {
    tf.tidy(() => {
      const { x, labels } = regionImages(32, 1000 + step);
      const y = tf.oneHot(labels, REGION_CLASSES);
      optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            y,
            model.apply(x, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
      );
    });
  }
  optimizer.dispose();
  cached = model;
  return model;
}
