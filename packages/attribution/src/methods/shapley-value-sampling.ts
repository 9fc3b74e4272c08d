import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import {
  makeBaseline,
  REPLACEMENT_BASELINE_DEFAULTS,
  type ReplacementBaselineOptions,
} from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { denseGroups, spreadGroupValues } from './dense-groups';
import { FEATURE_GROUPING_DEFAULTS, type FeatureGroupingOptions } from './grouping-options';

/** Options of {@link shapleyValueSampling}. */
export interface ShapleyValueSamplingOptions
  extends FeatureGroupingOptions,
    ReplacementBaselineOptions {
  /** Random permutations of the groups (Captum's `n_samples`). Default 25. */
  samples: number;
  /** Seed of the permutations (and of a `'uniform'` baseline). Default 0. */
  seed: number;
}

/** Extras of {@link shapleyValueSampling}, each `[b]`. */
export interface ShapleyValueSamplingInfo extends Record<string, tf.Tensor> {
  /** `f_t(x) − f_t(b)`: what every permutation's contributions sum to. */
  outputDifference: tf.Tensor1D;
  /** `Σ_g φ_g − outputDifference`, summed over groups (not features): 0 up to rounding (efficiency). */
  completenessGap: tf.Tensor1D;
}

/**
 * Shapley Value Sampling (Castro, Gómez, Tejada 2009; Štrumbelj & Kononenko
 * 2010), as Captum's `ShapleyValueSampling`: for `n` random permutations π
 * of the feature groups (one per round, shared by the batch), the groups
 * join one by one, from the baseline towards `x`, and each is credited with
 * the output change it causes; the map is the mean over the permutations,
 * every feature getting its group's value:
 * `φ_g = (1/n) Σ_π [f_t(x_{S_π(g) ∪ g}) − f_t(x_{S_π(g)})]`, `S_π(g)` the groups
 * before `g` in π. Each permutation's credits sum to `f_t(x) − f_t(b)`. `n · G` points (G groups) are scored `floor(batchSize / b)` at a
 * time; the permutations come from `seed`. Shape like `x`; as in Captum every
 * feature of a group carries the group's value, so the map sums to
 * `f_t(x) − f_t(b)` over groups (over features when every group is one feature).
 *
 * @example
 * const map = explain('shapley-value-sampling', model, x, { patchSize: [7, 7], samples: 16 });
 */
export const shapleyValueSampling = defineAttribution<
  ShapleyValueSamplingOptions,
  ShapleyValueSamplingInfo
>(
  {
    name: 'shapley-value-sampling',
    description:
      'Shapley Value Sampling: mean marginal contribution of each feature group over random join orders (Castro et al. 2009, Captum)',
    defaults: { ...FEATURE_GROUPING_DEFAULTS, samples: 25, ...REPLACEMENT_BASELINE_DEFAULTS },
    explain(ctx, x, options) {
      const { samples } = options;
      if (!Number.isInteger(samples) || samples < 1) {
        throw new InvalidOptionError(
          `samples must be a positive integer (permutations), got ${samples}`,
        );
      }
      const dense = denseGroups(x, options, 'shapley-value-sampling');
      const { groups, groupIndex, count: g } = dense;
      const b = x.shape[0];
      const sampleShape = x.shape.slice(1);
      const baseline = makeBaseline(options.baseline, x, options);
      const delta = tf.sub(x, baseline);
      const rng = new SeededRandom(mixSeed(options.seed, 'shapley-value-sampling'));
      const perPass = Math.max(1, Math.floor(ctx.batchSize / b));
      const credit = new Float64Array(b * g);
      for (let round = 0; round < samples; round++) {
        const order = rng.permutation(g);
        const position = new Int32Array(g);
        order.forEach((group, k) => {
          position[group] = k;
        });
        // Step k (0..g) has the first k groups of the order at x, the rest at the baseline.
        const featurePosition = tf.tensor(
          Int32Array.from(groupIndex, (i) => position[i]),
          groups.shape,
          'int32',
        );
        const scores = new Float32Array((g + 1) * b);
        for (let first = 0; first <= g; first += perPass) {
          const count = Math.min(perPass, g + 1 - first);
          const values = tf.tidy(() => {
            const steps = tf.reshape(tf.range(first, first + count, 1, 'int32'), [
              count,
              ...groups.shape.map(() => 1),
            ]);
            const joined = tf.cast(tf.less(tf.expandDims(featurePosition, 0), steps), 'float32');
            const points = tf.add(
              tf.expandDims(baseline, 0),
              tf.mul(joined, tf.expandDims(delta, 0)),
            );
            return ctx.quantity(tf.reshape(points, [count * b, ...sampleShape])).dataSync();
          });
          scores.set(values, first * b);
        }
        featurePosition.dispose();
        for (let k = 0; k < g; k++) {
          for (let s = 0; s < b; s++) {
            credit[s * g + order[k]] += scores[(k + 1) * b + s] - scores[k * b + s];
          }
        }
      }
      // Every feature gets its group's mean credit, sample by sample.
      const attributions = tf.tensor(
        spreadGroupValues(dense, b, (s, group) => credit[s * g + group] / samples),
        x.shape,
      );
      const outputDifference = tf.sub(ctx.quantity(x), ctx.quantity(baseline)) as tf.Tensor1D;
      const total = tf.tensor1d(
        Array.from(
          { length: b },
          (_, s) => credit.subarray(s * g, (s + 1) * g).reduce((a, v) => a + v, 0) / samples,
        ),
      );
      return {
        attributions,
        info: { outputDifference, completenessGap: tf.sub(total, outputDifference) as tf.Tensor1D },
      };
    },
  },
  { replace: true },
);
