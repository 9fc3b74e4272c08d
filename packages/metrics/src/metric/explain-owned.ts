import * as tf from '@tensorflow/tfjs-core';
import { checkExplanation } from './check-explanation';
import type { ResolvedMetricContext } from './metric-context';

/** Calls the explainer and checks its output; returns a tensor the caller owns. */
export async function explainOwned(
  explain: NonNullable<ResolvedMetricContext['explain']>,
  x: tf.Tensor4D,
  target: tf.Tensor1D | undefined,
  label: string,
): Promise<tf.Tensor4D> {
  const e = await explain(x, target);
  checkExplanation(e, x, label);
  return e === x ? tf.clone(e) : e;
}
