import type * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '@trustgrad/core-tensor';
import type { AttackFn, Explainer, ModelLike } from '../model/model-like';
import type { BootstrapOptions } from '../statistics/bootstrap';

/**
 * Everything a metric may read. The bench fills what it has and calls every
 * metric the same way; a metric states what it needs in `requires`, and
 * {@link missingInputs} tells which of those a context lacks so a caller can
 * skip the metric instead of failing.
 */
export interface MetricContext {
  /** The classifier (logits out). */
  model?: ModelLike;
  /** Inputs `[n, h, w, c]` (NHWC). */
  x?: tf.Tensor4D;
  /** True labels, int32 `[n]`. */
  y?: tf.Tensor1D;
  /**
   * Explanations of `x`, `[n, h, w, c]` (x's shape). When absent but `explain`
   * is given, the runner computes them with `explain(x)` (the explainer's
   * default target, normally the predicted class).
   */
  explanations?: tf.Tensor4D;
  /** The explanation method, for metrics that explain new inputs (stability, consistency, ...). */
  explain?: Explainer;
  /** Ground-truth mask, 1 inside the object: `[n, h, w, 1]`, `[n, h, w, c]` or `[n, h, w]`. */
  mask?: tf.Tensor;
  /** Attack callback (robust accuracy, adversarial class retrieval). */
  attack?: AttackFn;
  /** Name of an internal layer of `model`, for the relative representation stability. */
  representation?: string;
  /** Seed of every random draw of the metric and of its bootstrap. Default 0. */
  seed?: number;
  /** Images per forward/backward pass. Default 256. */
  batchSize?: number;
  /** `[min, max]` of the input values; noise scales are fractions of its width. Default [0, 1]. */
  dataRange?: [number, number];
  /** Bootstrap of the mean's confidence interval. Defaults: 1000 resamples, 95%. */
  bootstrap?: BootstrapOptions;
}

/** A context input a metric can require. */
export type MetricInput =
  | 'model'
  | 'x'
  | 'y'
  | 'explanations'
  | 'explain'
  | 'mask'
  | 'attack'
  | 'representation';

/** What a metric's `compute` receives: the context after validation, with defaults filled in. */
export interface ResolvedMetricContext extends MetricContext {
  seed: number;
  batchSize: number;
  dataRange: [number, number];
  /** A generator seeded from `seed`, fresh for each evaluation. */
  rng: SeededRandom;
}
