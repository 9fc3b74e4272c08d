import * as tf from '@tensorflow/tfjs-core';
import { assertLabelsInRange } from '@trustgrad/core-tensor';
import { checkExplanation } from '../metric/check-explanation';
import { defineMetric } from '../metric/define-metric';
import { mapBatchesAsync } from '../metric/map-batches-async';
import { batchedLogits, logitsOf, type ModelLike } from '../model/model-like';

/**
 * Per sample 1 where `argmax f(x) = y`, else 0, `batchSize` samples per
 * forward pass: the one accuracy rule of trustgrad (the `cleanAcc` and
 * `robustAcc` metrics and adversarial-trainer's `evaluateRobustness` count
 * with it). Fails with `LabelRangeError` when a label is not a class of the
 * model (`0..classes-1`): such a label can never be hit, so the accuracy would
 * silently read 0.
 *
 * @param x `[n, h, w, c]` inputs; @param y `[n]` int class labels.
 * @example const hits = await correctPredictions(model, x, y, 256, 'eval'); // [1, 0, 1, ...]
 */
export async function correctPredictions(
  model: ModelLike,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  batchSize: number,
  label = 'accuracy',
): Promise<number[]> {
  const logits = batchedLogits(model, x, batchSize);
  try {
    assertLabelsInRange(y, logits.shape[1], `${label}: y`);
  } catch (error) {
    logits.dispose();
    throw error;
  }
  const hit = tf.tidy(() =>
    tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32'),
  );
  logits.dispose();
  const values = Array.from(await hit.data());
  hit.dispose();
  return values;
}

/**
 * Clean accuracy: per sample 1 when `argmax f(x) = y`, else 0; the mean is the
 * accuracy. Labels outside the model's classes fail (`LabelRangeError`), NaN
 * inputs fail (`NonFiniteInputError`, checked by `evaluate`).
 */
export const cleanAccuracy = defineMetric(
  {
    name: 'cleanAcc',
    description: 'clean accuracy: share of samples whose predicted class is the label',
    higherIsBetter: true,
    requires: ['model', 'x', 'y'],
    defaults: {},
    compute: async (ctx) => ({
      values: await correctPredictions(
        ctx.model!,
        ctx.x!,
        ctx.y!,
        ctx.batchSize,
        'metric "cleanAcc"',
      ),
    }),
  },
  { replace: true },
);

/**
 * Robust accuracy: per sample 1 when `argmax f(attack(model, x, y)) = y`. The
 * attack is a callback (SPEC: PGD-20 at the dataset ε, from
 * `@trustgrad/adversarial-trainer`), run `batchSize` samples at a time.
 * Labels are checked against the model's classes before the attack runs.
 */
export const robustAccuracy = defineMetric(
  {
    name: 'robustAcc',
    description: 'robust accuracy: share of samples still classified as the label after the attack',
    higherIsBetter: true,
    requires: ['model', 'x', 'y', 'attack'],
    defaults: {},
    async compute(ctx) {
      const { model, x, y, attack } = ctx;
      const classes = tf.tidy(() => logitsOf(model!, tf.slice(x!, [0, 0, 0, 0], [1, -1, -1, -1])));
      const numClasses = classes.shape[1];
      classes.dispose();
      assertLabelsInRange(y!, numClasses, 'metric "robustAcc": y');
      let offset = 0;
      const xAdv = (await mapBatchesAsync(x!, ctx.batchSize, async (chunk) => {
        const ys = tf.slice(y!, [offset], [chunk.shape[0]]) as tf.Tensor1D;
        offset += chunk.shape[0];
        try {
          const adv = await attack!(model!, chunk, ys);
          checkExplanation(adv, chunk, 'attack(model, x, y)');
          return adv === chunk ? tf.clone(adv) : adv;
        } finally {
          ys.dispose();
        }
      })) as tf.Tensor4D;
      try {
        return {
          values: await correctPredictions(model!, xAdv, y!, ctx.batchSize, 'metric "robustAcc"'),
        };
      } finally {
        xAdv.dispose();
      }
    },
  },
  { replace: true },
);
