import * as tf from '@tensorflow/tfjs-core';
import { explainOwned } from './explain-owned';
import { mapBatchesAsync } from './map-batches-async';
import type { ResolvedMetricContext } from './metric-context';

/**
 * Explains x for class `targets[i]` of sample i, `batchSize` samples per call
 * of `ctx.explain`, and reads the maps back: `[n·h·w·c]` values, NHWC.
 */
export async function explainForTargets(
  ctx: ResolvedMetricContext,
  targets: Int32Array,
  label = 'explain(x, target)',
): Promise<Float32Array> {
  let start = 0;
  const maps = await mapBatchesAsync(ctx.x!, ctx.batchSize, async (chunk) => {
    const t = tf.tensor1d(targets.subarray(start, start + chunk.shape[0]), 'int32');
    start += chunk.shape[0];
    try {
      return await explainOwned(ctx.explain!, chunk, t, label);
    } finally {
      t.dispose();
    }
  });
  try {
    return (await maps.data()) as Float32Array;
  } finally {
    maps.dispose();
  }
}
