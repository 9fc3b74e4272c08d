import { LOG10_FLOOR } from '../metric/define-metric';

/**
 * `log10(mean(values))`, the mean floored at 1e-12 as `extra.log10`: the FMS
 * authors' summary of ROS (the log of the mean, not the mean of the logs,
 * which the bootstrap of `extra.log10` gives).
 */
export function log10OfMean(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.log10(Math.max(mean, LOG10_FLOOR));
}

/**
 * The FMS authors' aggregation (`common_metrics.py`): the samples `0 … n−1`
 * are cut into consecutive (by sample index) batches of `batch`, each batch's values are
 * averaged over its valued samples (`np.nanmean`; a batch with none is
 * skipped, as their `np.nanmean` over batches skips it), and the result is
 * `log10` of the mean of the batch means.
 *
 * @param values the valued samples' values, in the order of `sampleIndex`.
 * @param sampleIndex the sample index of each value (ascending).
 */
export function log10OfMeanOverBatches(
  values: readonly number[],
  sampleIndex: readonly number[],
  batch: number,
): number {
  const sums = new Map<number, { sum: number; count: number }>();
  values.forEach((v, k) => {
    const b = Math.floor(sampleIndex[k] / batch);
    const acc = sums.get(b) ?? { sum: 0, count: 0 };
    acc.sum += v;
    acc.count++;
    sums.set(b, acc);
  });
  const means = [...sums.values()].map(({ sum, count }) => sum / count);
  return log10OfMean(means);
}
