import * as tf from '@tensorflow/tfjs-core';
import { mapBatchesAsync } from '../internal/map-batches-async';
import { checkExplanation } from '../metric/check-explanation';
import { defineMetric } from '../metric/define-metric';
import type { ModelLike } from '../model/model-like';
import { predictClasses } from '../model/model-like';

async function correctness(
  model: ModelLike,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  batchSize: number,
): Promise<number[]> {
  const predicted = predictClasses(model, x, batchSize);
  const hit = tf.tidy(() => tf.cast(tf.equal(predicted, tf.cast(y, 'int32')), 'float32'));
  predicted.dispose();
  const values = Array.from(await hit.data());
  hit.dispose();
  return values;
}

/** Clean accuracy: per sample 1 when `argmax f(x) = y`, else 0; the mean is the accuracy. */
export const cleanAccuracy = defineMetric({
  name: 'cleanAcc',
  describe: 'clean accuracy: share of samples whose predicted class is the label',
  higherIsBetter: true,
  requires: ['model', 'x', 'y'],
  defaults: {},
  compute: async (ctx) => ({
    values: await correctness(ctx.model!, ctx.x!, ctx.y!, ctx.batchSize),
  }),
});

/**
 * Robust accuracy: per sample 1 when `argmax f(attack(model, x, y)) = y`. The
 * attack is a callback (SPEC: PGD-20 at the dataset ε, from
 * `@trustgrad/adversarial-trainer`), run `batchSize` samples at a time.
 */
export const robustAccuracy = defineMetric({
  name: 'robustAcc',
  describe: 'robust accuracy: share of samples still classified as the label after the attack',
  higherIsBetter: true,
  requires: ['model', 'x', 'y', 'attack'],
  defaults: {},
  async compute(ctx) {
    const { model, x, y, attack } = ctx;
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
      return { values: await correctness(model!, xAdv, y!, ctx.batchSize) };
    } finally {
      xAdv.dispose();
    }
  },
});
