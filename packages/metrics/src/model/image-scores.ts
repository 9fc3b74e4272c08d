import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { classMask } from './class-mask';
import { logitsOf, predictClasses } from './model-like';

/**
 * Target-class logits of `total` images that are written on demand, forwarded
 * `batchSize` at a time: `write(j, out)` fills image j (`h·w·c` values, NHWC
 * row-major) into `out`, `target(j)` names its class. The images are made in
 * the order j = 0, 1, …, so random draws inside `write` do not depend on
 * `batchSize`; only `batchSize` images are held at once.
 *
 * @returns `[total]` logits `f_{target(j)}(image_j)`.
 */
export async function imageScores(
  ctx: Pick<ResolvedMetricContext, 'model' | 'batchSize'>,
  shape: readonly [number, number, number],
  total: number,
  target: (j: number) => number,
  write: (j: number, out: Float32Array) => void,
): Promise<Float32Array> {
  const [h, w, c] = shape;
  const size = h * w * c;
  const chunk = Math.max(1, Math.min(ctx.batchSize, total));
  const buffer = new Float32Array(chunk * size);
  const targets = new Int32Array(chunk);
  const scores = new Float32Array(total);
  for (let start = 0; start < total; start += chunk) {
    const m = Math.min(chunk, total - start);
    for (let k = 0; k < m; k++) {
      write(start + k, buffer.subarray(k * size, (k + 1) * size));
      targets[k] = target(start + k);
    }
    const picked = tf.tidy(() => {
      const logits = logitsOf(ctx.model!, tf.tensor4d(buffer.subarray(0, m * size), [m, h, w, c]));
      const mask = classMask(tf.tensor1d(targets.subarray(0, m), 'int32'), logits.shape[1]);
      return tf.sum(tf.mul(logits, mask), 1);
    });
    scores.set(await picked.data(), start);
    picked.dispose();
  }
  return scores;
}

/** The class each sample is scored for: the label `ctx.y` when given, else the class predicted on x (Quantus' `y_batch`). */
export async function targetClasses(ctx: ResolvedMetricContext): Promise<Int32Array> {
  if (ctx.y) return Int32Array.from(await ctx.y.data());
  const predicted = predictClasses(ctx.model!, ctx.x!, ctx.batchSize);
  try {
    return Int32Array.from(await predicted.data());
  } finally {
    predicted.dispose();
  }
}
