import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { inputGradient } from '../model/input-gradient';
import { logitsOf } from '../model/model-like';
import { rowNorm } from '../norms/row-norm';
import { repeatSamples } from '../perturbation/perturbation';

/** Options of {@link gradientCurvature}. */
export interface GradientCurvatureOptions {
  /** Random unit directions per sample. Default 8. */
  directions: number;
  /** Finite-difference step h as a fraction of the data range width. Default 0.01. */
  step: number;
}

/** Options of {@link hessianEigenvalue}. */
export interface HessianEigenvalueOptions {
  /** Power-iteration steps. Default 20. */
  iterations: number;
  /** Finite-difference step h (central differences) as a fraction of the data range width. Default 0.01. */
  step: number;
}

/** Random unit vectors (L2 over all of h·w·c), one per row: `[rows, h, w, c]`. */
function unitDirections(ctx: ResolvedMetricContext, rows: number, shape: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const v = tf.tensor(ctx.rng.normalArray(rows * shape.reduce((a, b) => a * b, 1)), [
      rows,
      ...shape,
    ]);
    return tf.div(v, tf.reshape(rowNorm(v, 2), [rows, 1, 1, 1])) as tf.Tensor4D;
  });
}

/**
 * Curvature of the input-gradient field (FMS paper's analysis):
 * `C(x) = mean_v ‖∇ₓf(x + h·v) − ∇ₓf(x)‖₂ / h` over random unit directions v,
 * f the logit of x's predicted class. 0 for a linear model; for `f = ½xᵀAx`
 * it is the mean of `‖Av‖`. Lower = smoother gradient field.
 */
export const gradientCurvature = defineMetric<GradientCurvatureOptions>(
  {
    name: 'curvature',
    description:
      'curvature of the input-gradient field: mean over random unit v of ‖∇f(x+hv) − ∇f(x)‖/h',
    higherIsBetter: false,
    requires: ['model', 'x'],
    defaults: { directions: 8, step: 0.01 },
    async compute(ctx, { directions, step }) {
      if (!Number.isInteger(directions) || directions < 1) {
        throw new InvalidOptionError(`directions must be a positive integer, got ${directions}`);
      }
      if (!(step > 0)) throw new InvalidOptionError(`step must be > 0, got ${step}`);
      const x = ctx.x!;
      const model = ctx.model!;
      const h = step * (ctx.dataRange[1] - ctx.dataRange[0]);
      const n = x.shape[0];
      const groupSize = Math.max(1, Math.floor(ctx.batchSize / (directions + 1)));
      const values: number[] = [];
      for (let start = 0; start < n; start += groupSize) {
        const g = Math.min(groupSize, n - start);
        const v = unitDirections(ctx, g * directions, x.shape.slice(1));
        const change = tf.tidy(() => {
          const xs = tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]);
          const target = tf.argMax(logitsOf(model, xs), 1) as tf.Tensor1D;
          const g0 = inputGradient(model, xs, target);
          const xRep = repeatSamples(xs, directions);
          const g1 = inputGradient(
            model,
            tf.add(xRep, tf.mul(v, h)) as tf.Tensor4D,
            repeatSamples(target, directions),
          );
          return tf.div(rowNorm(tf.sub(g1, repeatSamples(g0, directions)), 2), h);
        });
        v.dispose();
        const data = await change.data();
        change.dispose();
        for (let i = 0; i < g; i++) {
          let sum = 0;
          for (let j = i * directions; j < (i + 1) * directions; j++) sum += data[j];
          values.push(sum / directions);
        }
      }
      return { values: values.map(Math.abs), extra: { signed: values } };
    },
  },
  { replace: true },
);

/**
 * Dominant eigenvalue of the input Hessian of the target logit, per sample, by
 * power iteration on finite-difference Hessian-vector products
 * `Hv ≈ (∇f(x + h·v) − ∇f(x − h·v)) / 2h`: `v ← Hv / ‖Hv‖`, then the Rayleigh
 * quotient `vᵀHv`. Power iteration converges to the eigenvalue of largest
 * magnitude; the value reported (and ranked, lower = flatter) is its magnitude
 * `|λ|`, so a sharply concave logit does not rank as flat; the signed
 * eigenvalues are in `extra.signed`. 0 for a linear model (Hv = 0); for
 * `f = ½xᵀAx` the dominant |eigenvalue| of A.
 */
export const hessianEigenvalue = defineMetric<HessianEigenvalueOptions>(
  {
    name: 'hessianEigenvalue',
    description:
      'magnitude |λ| of the dominant eigenvalue of the input Hessian of the target logit (power iteration on finite-difference Hessian-vector products)',
    higherIsBetter: false,
    requires: ['model', 'x'],
    defaults: { iterations: 20, step: 0.01 },
    async compute(ctx, { iterations, step }) {
      if (!Number.isInteger(iterations) || iterations < 1) {
        throw new InvalidOptionError(`iterations must be a positive integer, got ${iterations}`);
      }
      if (!(step > 0)) throw new InvalidOptionError(`step must be > 0, got ${step}`);
      const x = ctx.x!;
      const model = ctx.model!;
      const h = step * (ctx.dataRange[1] - ctx.dataRange[0]);
      const n = x.shape[0];
      const groupSize = Math.max(1, Math.floor(ctx.batchSize / 2));
      const values: number[] = [];
      for (let start = 0; start < n; start += groupSize) {
        const g = Math.min(groupSize, n - start);
        const xs = tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]);
        const target = tf.tidy(() => {
          const t = tf.argMax(logitsOf(model, xs), 1) as tf.Tensor1D;
          return tf.concat([t, t]) as tf.Tensor1D;
        });
        const hvp = (v: tf.Tensor4D): tf.Tensor4D =>
          tf.tidy(() => {
            const both = tf.concat([
              tf.add(xs, tf.mul(v, h)),
              tf.sub(xs, tf.mul(v, h)),
            ]) as tf.Tensor4D;
            const grads = inputGradient(model, both, target);
            const plus = tf.slice(grads, [0, 0, 0, 0], [g, -1, -1, -1]);
            const minus = tf.slice(grads, [g, 0, 0, 0], [g, -1, -1, -1]);
            return tf.div(tf.sub(plus, minus), 2 * h) as tf.Tensor4D;
          });
        let v = unitDirections(ctx, g, x.shape.slice(1));
        for (let it = 0; it < iterations; it++) {
          const next = tf.tidy(() => {
            const hv = hvp(v);
            const norm = tf.reshape(rowNorm(hv, 2), [g, 1, 1, 1]);
            return tf.div(hv, tf.maximum(norm, 1e-30)) as tf.Tensor4D;
          });
          v.dispose();
          v = next;
        }
        const rayleigh = tf.tidy(() => tf.sum(tf.reshape(tf.mul(v, hvp(v)), [g, -1]), 1));
        values.push(...(await rayleigh.data()));
        tf.dispose([rayleigh, v, xs, target]);
      }
      return { values: values.map(Math.abs), extra: { signed: values } };
    },
  },
  { replace: true },
);
