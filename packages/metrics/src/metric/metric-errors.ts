import { TrustgradError } from '@trustgrad/core-tensor';

/** A metric was asked to run without an input it needs (`requires`). */
export class MissingMetricInputError extends TrustgradError {
  override name = 'MissingMetricInputError';
}

/** An explanation (given or returned by the explainer) holds NaN or ±Infinity. */
export class NonFiniteExplanationError extends TrustgradError {
  override name = 'NonFiniteExplanationError';
}

/** A batch with zero samples was given to a metric: core-tensor's {@link EmptyBatchError}, re-exported. */
export { EmptyBatchError } from '@trustgrad/core-tensor';

/**
 * The metric is not defined on this batch, e.g. every Gaussian perturbation
 * changed the predicted class, or the attack flipped no prediction.
 */
export class MetricUndefinedError extends TrustgradError {
  override name = 'MetricUndefinedError';
}
