import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import {
  makeBaseline,
  REPLACEMENT_BASELINE_DEFAULTS,
  type ReplacementBaselineOptions,
} from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { weightedLeastSquares } from '../surrogate/least-squares';
import { denseGroups, groupOf, spreadGroupValues } from './dense-groups';
import { FEATURE_GROUPING_DEFAULTS, type FeatureGroupingOptions } from './grouping-options';

/** Options of {@link kernelShap}. */
export interface KernelShapOptions extends FeatureGroupingOptions, ReplacementBaselineOptions {
  /** Coalitions evaluated per sample, the all-on and all-off ones included (Captum's `n_samples`). Default 25. */
  samples: number;
  /** Seed of the coalitions (and of a `'uniform'` baseline). Default 0. */
  seed: number;
}

/** Weight of the all-on and all-off coalitions, standing in for Kernel SHAP's infinite one (Captum's `inf_weight`). */
const END_POINT_WEIGHT = 1e6;

/**
 * Kernel SHAP (Lundberg & Lee 2017), as Captum's `KernelShap`: coalitions
 * `z ∈ {0, 1}^G` of the feature groups are drawn with the Shapley kernel (the
 * all-on and all-off ones first, then `k ~ P(k) ∝ (G − 1) / (k (G − k))` groups
 * on, chosen uniformly), each scored at `b + z ⊙ (x − b)`, and a linear model
 * `f_t ≈ φ_0 + Σ_g φ_g z_g` is fitted by least squares (weight 10⁶ on the two
 * end points, 1 elsewhere; minimum-norm when `samples < G + 1`, like
 * scikit-learn). Every feature carries its group's `φ_g`. For a model linear
 * in `x` with `samples ≥ G + 1`, `φ_g` is `Σ_{i∈g} w_i (x_i − b_i)` exactly;
 * with many samples it tends to the Shapley values. The coalitions are drawn
 * per sample from `seed`; `floor(batchSize / b)` coalitions are scored per pass.
 * Shape like `x`.
 *
 * @example
 * const map = explain('kernel-shap', model, x, { patchSize: [7, 7], samples: 200 });
 */
export const kernelShap = defineAttribution<KernelShapOptions>(
  {
    name: 'kernel-shap',
    description:
      'Kernel SHAP: weighted linear fit of f_t over Shapley-kernel coalitions of feature groups (Lundberg & Lee 2017, Captum)',
    defaults: { ...FEATURE_GROUPING_DEFAULTS, samples: 25, ...REPLACEMENT_BASELINE_DEFAULTS },
    explain(ctx, x, options) {
      const { samples } = options;
      if (!Number.isInteger(samples) || samples < 2) {
        throw new InvalidOptionError(
          `samples must be an integer ≥ 2 (the all-on and all-off coalitions come first), got ${samples}`,
        );
      }
      const dense = denseGroups(x, options, 'kernel-shap');
      const { count: g, featureCount } = dense;
      if (g < 2) {
        throw new InvalidOptionError('kernel-shap needs at least 2 feature groups to fit');
      }
      const b = x.shape[0];
      const sampleShape = x.shape.slice(1);
      const coalitions = drawCoalitions(g, samples, b, options.seed); // [sample s][coalition n][group]
      const baseline = makeBaseline(options.baseline, x, options);
      const delta = tf.sub(x, baseline);
      const perPass = Math.max(1, Math.floor(ctx.batchSize / b));
      const scores = new Float32Array(samples * b); // [coalition n][sample s]
      for (let first = 0; first < samples; first += perPass) {
        const count = Math.min(perPass, samples - first);
        const values = tf.tidy(() => {
          // The mask of coalition n for sample s: each feature takes its group's 0/1.
          const masks = new Float32Array(count * b * featureCount);
          for (let n = 0; n < count; n++)
            for (let s = 0; s < b; s++) {
              const z = coalitions[s][first + n];
              const at = (n * b + s) * featureCount;
              for (let f = 0; f < featureCount; f++) masks[at + f] = z[groupOf(dense, b, s, f)];
            }
          const m = tf.tensor(masks, [count, b, ...sampleShape]);
          const points = tf.add(tf.expandDims(baseline, 0), tf.mul(m, tf.expandDims(delta, 0)));
          return ctx.quantity(tf.reshape(points, [count * b, ...sampleShape])).dataSync();
        });
        scores.set(values, first * b);
      }
      const fitted = Array.from({ length: b }, (_, s) => {
        const design = new Float64Array(samples * g);
        const target = new Float64Array(samples);
        const weight = new Float64Array(samples);
        for (let n = 0; n < samples; n++) {
          design.set(coalitions[s][n], n * g);
          target[n] = scores[n * b + s];
          weight[n] = n < 2 ? END_POINT_WEIGHT : 1;
        }
        return weightedLeastSquares(design, target, weight, samples, g).coefficients;
      });
      return tf.tensor(
        spreadGroupValues(dense, b, (s, group) => fitted[s][group]),
        x.shape,
      );
    },
  },
  { replace: true },
);

/** `samples` coalitions per input: all on, all off, then Shapley-kernel draws (Captum's generator). */
function drawCoalitions(g: number, samples: number, b: number, seed: number): Float64Array[][] {
  const rng = new SeededRandom(mixSeed(seed, 'kernel-shap'));
  const sizes = Array.from({ length: g - 1 }, (_, i) => i + 1);
  const kernel = sizes.map((k) => (g - 1) / (k * (g - k)));
  const total = kernel.reduce((a, v) => a + v, 0);
  return Array.from({ length: b }, () =>
    Array.from({ length: samples }, (_, n) => {
      const z = new Float64Array(g);
      if (n === 0) z.fill(1);
      if (n < 2) return z;
      let u = rng.uniform() * total;
      let k = sizes[sizes.length - 1];
      for (let i = 0; i < sizes.length; i++) {
        u -= kernel[i];
        if (u < 0) {
          k = sizes[i];
          break;
        }
      }
      const order = rng.permutation(g);
      for (let i = 0; i < k; i++) z[order[i]] = 1;
      return z;
    }),
  );
}
