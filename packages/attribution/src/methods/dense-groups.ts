import type * as tf from '@tensorflow/tfjs-core';
import { groupIds } from './feature-ablation';
import type { FeatureGroupingOptions } from './grouping-options';

/** Feature groups of {@link groupIds} renumbered 0 … count − 1 (ascending id order). */
export interface DenseGroups {
  /** The raw group ids, `[1 | b, ...sample]` as {@link groupIds} gives them. */
  groups: { data: Int32Array; shape: number[] };
  /** Dense index (0 … count − 1) of every entry of `groups.data`. */
  groupIndex: Int32Array;
  /** Number of distinct groups G. */
  count: number;
  /** Features per sample. */
  featureCount: number;
}

/**
 * The feature groups of `x` (see {@link groupIds}) with dense indices, the
 * form Kernel SHAP and Shapley Value Sampling compute one value per group in.
 *
 * @example
 * const dense = denseGroups(x, { featureMask: undefined, patchSize: [7, 7] }, 'kernel-shap');
 */
export function denseGroups(
  x: tf.Tensor,
  options: FeatureGroupingOptions,
  method: string,
): DenseGroups {
  const groups = groupIds(x, options, method);
  const ids = Array.from(new Set(groups.data)).sort((a, b) => a - b);
  const index = new Map(ids.map((id, i) => [id, i]));
  const groupIndex = Int32Array.from(groups.data, (id) => index.get(id) as number);
  return {
    groups,
    groupIndex,
    count: ids.length,
    featureCount: groupIndex.length / groups.shape[0],
  };
}

/** Dense group of feature `f` of sample `s` of a batch of `b` (groups shared by the batch or one set per sample). */
export function groupOf(dense: DenseGroups, b: number, s: number, f: number): number {
  const offset = dense.groups.shape[0] === b ? s * dense.featureCount : 0;
  return dense.groupIndex[offset + f];
}

/**
 * A `[b · featureCount]` map in which every feature of sample s carries its
 * group's value `value(s, group)` (Captum's per-group attributions spread to
 * the features).
 */
export function spreadGroupValues(
  dense: DenseGroups,
  b: number,
  value: (s: number, group: number) => number,
): Float32Array {
  const { featureCount } = dense;
  const map = new Float32Array(b * featureCount);
  for (let s = 0; s < b; s++) {
    for (let f = 0; f < featureCount; f++)
      map[s * featureCount + f] = value(s, groupOf(dense, b, s, f));
  }
  return map;
}
