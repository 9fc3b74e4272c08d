import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import {
  makeBaseline,
  REPLACEMENT_BASELINE_DEFAULTS,
  type ReplacementBaselineOptions,
} from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { ablationSweep } from '../perturbation/ablation-sweep';
import { FEATURE_GROUPING_DEFAULTS, type FeatureGroupingOptions } from './grouping-options';

/** Options of {@link featureAblation}: the groups ablated together and the baseline they take. */
export interface FeatureAblationOptions
  extends FeatureGroupingOptions,
    ReplacementBaselineOptions {}

/**
 * Feature Ablation (Captum's `FeatureAblation`): every group `G` of features
 * is replaced by the baseline at once and the output drop is the
 * attribution of each of its features, `A_i = f_t(x) − f_t(x_{G(i) ← b})`.
 * Groups come from a user mask (superpixels), a patch grid, or are single
 * features. Groups are scored `floor(batchSize / b)` at a time. On a linear
 * model with single-feature groups the map is exactly `w_t ⊙ (x − b)`; the
 * map of a group is the sum of that over its features. Shape like `x`.
 *
 * @example
 * const map = explain('feature-ablation', model, x, { patchSize: [7, 7] });
 */
export const featureAblation = defineAttribution<FeatureAblationOptions>(
  {
    name: 'feature-ablation',
    description:
      'Feature Ablation: output drop when a group of features (pixel, patch, superpixel) is set to the baseline (Captum)',
    defaults: { ...FEATURE_GROUPING_DEFAULTS, ...REPLACEMENT_BASELINE_DEFAULTS },
    explain(ctx, x, options) {
      const groups = groupIds(x, options);
      const ids = Array.from(new Set(groups.data)).sort((a, b) => a - b);
      const idTensor = tf.tensor1d(ids, 'int32');
      const groupTensor = tf.tensor(groups.data, groups.shape, 'int32');
      const baseline = makeBaseline(options.baseline, x, options);
      return ablationSweep(ctx, x, baseline, ids.length, (first, count) =>
        tf.tidy(() => {
          const wanted = tf.reshape(tf.slice(idTensor, first, count), [
            count,
            ...groups.shape.map(() => 1),
          ]);
          return tf.cast(tf.equal(tf.expandDims(groupTensor, 0), wanted), 'float32');
        }),
      );
    },
  },
  { replace: true },
);

/** The group id of every feature as `[1 | b, ...sample]` int data, from `featureMask`, `patchSize` or one group per feature. */
export function groupIds(
  x: tf.Tensor,
  options: FeatureGroupingOptions,
  method = 'feature-ablation',
): { data: Int32Array; shape: number[] } {
  const sampleShape = x.shape.slice(1);
  if (options.featureMask !== undefined && options.patchSize !== undefined) {
    throw new InvalidOptionError(`${method} takes featureMask or patchSize, not both; drop one`);
  }
  if (options.patchSize !== undefined) return patchGroups(x, options.patchSize, method);
  if (options.featureMask === undefined) {
    const n = sampleShape.reduce((a, d) => a * d, 1);
    return { data: Int32Array.from({ length: n }, (_, i) => i), shape: [1, ...sampleShape] };
  }
  const mask = options.featureMask;
  if (!(mask instanceof tf.Tensor)) {
    throw new InvalidOptionError('featureMask must be an integer tf.Tensor of group ids');
  }
  let shape = mask.shape;
  if (x.rank === 4 && mask.rank === 2) shape = [1, ...mask.shape, 1];
  else if (mask.rank === x.rank - 1) shape = [1, ...mask.shape];
  const fits = shape.length === x.rank && shape.every((d, i) => d === x.shape[i] || d === 1);
  if (!fits) {
    throw new ShapeError(
      `featureMask has shape [${mask.shape.join(', ')}]; for x [${x.shape.join(', ')}] give [h, w], ` +
        `[${sampleShape.join(', ')}] or [b | 1, ${sampleShape.join(', ')}] (size-1 axes broadcast)`,
    );
  }
  const full = [shape[0], ...sampleShape];
  const values = tf.tidy(() => tf.broadcastTo(tf.reshape(mask, shape), full).dataSync());
  const data = Int32Array.from(values);
  if (data.some((v, i) => v < 0 || v !== values[i])) {
    throw new InvalidOptionError('featureMask must hold non-negative integer group ids');
  }
  return { data, shape: full };
}

/** Grid cells of `[ph, pw]` pixels, numbered row-major, every channel of a pixel in its cell. */
function patchGroups(
  x: tf.Tensor,
  patch: [number, number],
  method: string,
): { data: Int32Array; shape: number[] } {
  if (x.rank !== 4) {
    throw new ShapeError(
      `${method} patchSize needs NHWC images [b, h, w, c], got [${x.shape.join(', ')}]; give a featureMask instead`,
    );
  }
  const [, h, w, c] = x.shape;
  const [ph, pw] = patch;
  if (!Number.isInteger(ph) || !Number.isInteger(pw) || ph < 1 || pw < 1) {
    throw new InvalidOptionError(
      `patchSize must be two positive integers [ph, pw], got [${String(patch)}]`,
    );
  }
  const columns = Math.ceil(w / pw);
  const data = new Int32Array(h * w * c);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < c; k++)
        data[(i * w + j) * c + k] = Math.floor(i / ph) * columns + Math.floor(j / pw);
  return { data, shape: [1, h, w, c] };
}
