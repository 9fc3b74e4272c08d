import * as tf from '@tensorflow/tfjs-core';
import type { MetricContext } from '../metric/metric-context';
import { MissingMetricInputError } from '../metric/metric-errors';
import { predictClasses } from '../model/model-like';

/** A context restricted to its correctly classified samples, and which samples those were. */
export interface CorrectlyClassified {
  /** `ctx` with `x`, `y`, `explanations` and `mask` sliced to the kept samples (new tensors: call `dispose`). */
  ctx: MetricContext;
  /** Indices (into the original batch) of the samples with `argmax f(x) = y`. */
  index: number[];
  /** Disposes the sliced tensors (not the original ones). */
  dispose: () => void;
}

/**
 * The FMS authors' evaluation filter (`common_metrics.py`: every metric on
 * correctly classified test samples only): keeps the samples whose predicted
 * class equals the label. Needs `model`, `x` and `y`. Evaluate any metric on
 * the returned `ctx`; its `extra.sampleIndex` then indexes `index`.
 *
 * @example
 * const kept = await correctlyClassified({ model, x, y, explain });
 * try { await roadAopc.evaluate(kept.ctx); } finally { kept.dispose(); }
 */
export async function correctlyClassified(ctx: MetricContext): Promise<CorrectlyClassified> {
  const { model, x, y } = ctx;
  if (!model || !x || !y) {
    throw new MissingMetricInputError(
      'correctlyClassified needs model, x and y in the context (it keeps samples with argmax f(x) = y)',
    );
  }
  const predicted = predictClasses(model, x, ctx.batchSize ?? 256);
  const labels = await y.data();
  const classes = await predicted.data();
  predicted.dispose();
  const index: number[] = [];
  for (let i = 0; i < classes.length; i++) if (classes[i] === labels[i]) index.push(i);
  const owned: tf.Tensor[] = [];
  const pick = <T extends tf.Tensor>(t: T | undefined): T | undefined => {
    if (!t) return undefined;
    const out = tf.tidy(() => tf.gather(t, tf.tensor1d(index, 'int32'))) as T;
    owned.push(out);
    return out;
  };
  return {
    ctx: {
      ...ctx,
      x: pick(x),
      y: pick(y),
      explanations: pick(ctx.explanations),
      mask: pick(ctx.mask),
    },
    index,
    dispose: () => tf.dispose(owned),
  };
}
