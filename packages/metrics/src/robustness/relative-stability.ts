import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { checkNormOrder, relativeChange, rowNorm } from '../internal/norms';
import { measurePerturbed, type PerturbedGroup } from '../internal/perturbed-batches';
import { defineMetric, type Metric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { MetricUndefinedError } from '../metric/metric-errors';
import { representationModel } from '../model/model-like';
import { gaussianPerturbation, type Perturbation } from '../perturbation/perturbation';

/** Options shared by RIS, RRS and ROS. */
export interface RelativeStabilityOptions {
  /** Perturbed copies per sample. Default 50. */
  perturbations: number;
  /** Gaussian σ as a fraction of the data range width. Default 0.05. */
  sigma: number;
  /** Order of the norm of the relative changes: ≥ 1 or Infinity. Default 2. */
  p: number;
  /** Lower bound of the denominator norm (`ε_min`). Default 1e-6. */
  epsMin: number;
  /**
   * Stabiliser `s` of the element-wise relative changes: a denominator entry v
   * becomes `sign(v)·max(|v|, s)`, so zero pixels, zero attributions or zero
   * activations do not divide by zero. Default 1e-6 (as `ε_min`, Quantus' choice).
   */
  stabiliser: number;
  /** Keep only copies whose predicted class equals the original's (Agarwal et al.). Default true. */
  sameClassOnly: boolean;
  /** Clip copies to the data range. Default false (SPEC: x' = x + N(0, σ²)). */
  clip: boolean;
  /** A custom perturbation replacing the Gaussian one (then `sigma` and `clip` are unused). */
  perturb: Perturbation | undefined;
}

const defaults: RelativeStabilityOptions = {
  perturbations: 50,
  sigma: 0.05,
  p: 2,
  epsMin: 1e-6,
  stabiliser: 1e-6,
  sameClassOnly: true,
  clip: false,
  perturb: undefined,
};

/** What a relative stability divides by: the input (RIS), an internal layer (RRS) or the logits (ROS). */
export type RelativeStabilityKind = 'input' | 'representation' | 'output';

/**
 * Relative stability (Agarwal et al. 2022, "Rethinking Stability for
 * Attribution-based Explanations"), for one sample x:
 *
 * `R(x) = max_{x'} ‖(e_x − e_x')/e_x‖_p / max(‖(u_x − u_x')/u_x‖_p, ε_min)`
 *
 * over perturbed copies `x' = x + N(0, σ²)` that keep x's predicted class, with
 * u = the input (RIS), an internal layer's activations (RRS) or the logits (ROS).
 * Element-wise divisions use the stabiliser of {@link RelativeStabilityOptions}.
 * The explanation of x' is taken for x's predicted class. Lower is more stable;
 * `extra.log10` holds the log10 of each value (floored at 1e-12).
 *
 * Samples for which no copy kept the class get no value: their indices are in
 * `extra.skipped`, the valued samples' indices in `extra.sampleIndex`. If no
 * sample has a value the metric fails with {@link MetricUndefinedError}.
 * A constant explanation (the same for every copy) gives 0.
 */
export async function relativeStability(
  ctx: ResolvedMetricContext,
  options: RelativeStabilityOptions,
  kind: RelativeStabilityKind,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  return (await relativeStabilities(ctx, options, [kind]))[kind];
}

/**
 * {@link relativeStability} for several kinds in one pass: the perturbed
 * copies are drawn and explained once, and every kind's ratio is measured on
 * the same copies. Each kind's result equals `relativeStability(ctx, options,
 * kind)` on a context with the same seed (the draws do not depend on the kinds).
 */
export async function relativeStabilities<K extends RelativeStabilityKind>(
  ctx: ResolvedMetricContext,
  options: RelativeStabilityOptions,
  kinds: readonly K[],
): Promise<Record<K, { values: number[]; extra: Record<string, unknown> }>> {
  const { perturbations, sigma, p, epsMin, stabiliser, sameClassOnly, clip } = options;
  if (kinds.length === 0)
    throw new InvalidOptionError('relativeStabilities needs at least one kind');
  if (!Number.isInteger(perturbations) || perturbations < 1) {
    throw new InvalidOptionError(`perturbations must be a positive integer, got ${perturbations}`);
  }
  checkNormOrder(p);
  if (!(epsMin > 0) || !(stabiliser > 0)) {
    throw new InvalidOptionError(
      `epsMin and stabiliser must be > 0, got ${epsMin} and ${stabiliser}`,
    );
  }
  const [lo, hi] = ctx.dataRange;
  const perturb =
    options.perturb ?? gaussianPerturbation(sigma * (hi - lo), clip ? [lo, hi] : undefined);
  const representation = kinds.includes('representation' as K)
    ? representationModel(ctx.model!, ctx.representation!)
    : null;

  const denominatorOf = (g: PerturbedGroup, kind: RelativeStabilityKind): tf.Tensor1D => {
    if (kind === 'input') return rowNorm(relativeChange(g.xRep, g.xp, stabiliser), p);
    if (kind === 'output') return rowNorm(relativeChange(g.logitsRep, g.logitsP, stabiliser), p);
    const h = representation!.predict(g.x) as tf.Tensor;
    const hp = representation!.predict(g.xp) as tf.Tensor;
    const [n, ...rest] = h.shape;
    const count = hp.shape[0] / n;
    const hRep = tf.reshape(
      tf.tile(tf.expandDims(h, 1), [1, count, ...rest.map(() => 1)]),
      hp.shape,
    );
    return rowNorm(relativeChange(hRep, hp, stabiliser), p);
  };

  // One `[kinds, g·count]` tensor per group: the explanation change is shared.
  const rows = await measurePerturbed(ctx, perturbations, perturb, (g) =>
    tf.tidy(() => {
      const numerator = rowNorm(relativeChange(g.exRep, g.ep, stabiliser), p);
      return tf.stack(
        kinds.map((kind) => tf.div(numerator, tf.maximum(denominatorOf(g, kind), epsMin))),
      ) as tf.Tensor2D;
    }),
  );

  const n = ctx.x!.shape[0];
  const out = {} as Record<K, { values: number[]; extra: Record<string, unknown> }>;
  kinds.forEach((kind, k) => {
    const ratios = rows.rows[k];
    const values: number[] = [];
    const sampleIndex: number[] = [];
    const skipped: number[] = [];
    const kept: number[] = [];
    for (let i = 0; i < n; i++) {
      let best = Number.NEGATIVE_INFINITY;
      let count = 0;
      for (let j = i * perturbations; j < (i + 1) * perturbations; j++) {
        if (sameClassOnly && !rows.sameClass[j]) continue;
        count++;
        if (ratios[j] > best) best = ratios[j];
      }
      kept.push(count);
      if (count === 0) {
        skipped.push(i);
      } else {
        values.push(best);
        sampleIndex.push(i);
      }
    }
    if (values.length === 0) {
      throw new MetricUndefinedError(
        `relative ${kind} stability: every one of the ${perturbations} perturbations of all ${n} samples changed the predicted class; ` +
          'lower sigma, raise perturbations, or set sameClassOnly: false',
      );
    }
    out[kind] = { values, extra: { sampleIndex, skipped, keptPerturbations: kept } };
  });
  return out;
}

function stabilityMetric(
  name: string,
  kind: RelativeStabilityKind,
  description: string,
): Metric<RelativeStabilityOptions> {
  return defineMetric<RelativeStabilityOptions>(
    {
      name,
      description,
      higherIsBetter: false,
      reportLog10: true,
      requires:
        kind === 'representation'
          ? ['model', 'x', 'explain', 'representation']
          : ['model', 'x', 'explain'],
      defaults,
      compute: (ctx, options) => relativeStability(ctx, options, kind),
    },
    { replace: true },
  );
}

/** Relative input stability (RIS), see {@link relativeStability}. */
export const relativeInputStability = stabilityMetric(
  'ris',
  'input',
  'relative input stability (Agarwal et al. 2022): max ‖Δe/e‖_p / max(‖Δx/x‖_p, ε_min) over same-class Gaussian perturbations',
);

/** Relative representation stability (RRS), see {@link relativeStability}; needs `ctx.representation`. */
export const relativeRepresentationStability = stabilityMetric(
  'rrs',
  'representation',
  'relative representation stability (Agarwal et al. 2022): max ‖Δe/e‖_p / max(‖Δh/h‖_p, ε_min), h an internal layer',
);

/** Relative output stability (ROS), see {@link relativeStability}. */
export const relativeOutputStability = stabilityMetric(
  'ros',
  'output',
  'relative output stability (Agarwal et al. 2022): max ‖Δe/e‖_p / max(‖Δlogits/logits‖_p, ε_min)',
);
