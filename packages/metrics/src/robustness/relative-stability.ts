import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric, type Metric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { MetricUndefinedError } from '../metric/metric-errors';
import { representationModel } from '../model/model-like';
import { checkNormOrder, rowNorm } from '../norms/row-norm';
import {
  gaussianPerturbation,
  type Perturbation,
  uniformIntervalPerturbation,
} from '../perturbation/perturbation';
import { measurePerturbed, type PerturbedGroup } from '../perturbation/perturbed-batches';
import { log10OfMean, log10OfMeanOverBatches } from './log10-mean';
import { flooredRelativeChange, relativeChange } from './relative-change';

/**
 * How the copies are drawn, filtered and aggregated:
 * - `'agarwal'` (default): `x' = x + N(0, σ²)`, copies that change the
 *   predicted class are left out of the max (`sameClassOnly`), the ratio's
 *   denominator norm is floored: `max(‖·‖_p, ε_min)` (Agarwal et al. 2022, eq. 2–4).
 * - `'quantus'`: Quantus' `RelativeInput/Output/RepresentationStability`
 *   exactly: `x' = x + U(0.02, 0.2)` element-wise (absolute units, no
 *   clipping), p = 2, ε added to the denominator norm only where it is exactly
 *   0, and a sample any of whose copies changes the prediction is NaN (its
 *   `np.max` propagates the NaN); the mean over the remaining samples is
 *   Quantus' `nanmean`. Use `perturbations: 200` for Quantus' default, 5 for
 *   the FMS authors' protocol.
 */
export type RelativeStabilityProtocol = 'agarwal' | 'quantus';

/** Options shared by RIS, RRS and ROS. */
export interface RelativeStabilityOptions {
  /** {@link RelativeStabilityProtocol}. Default `'agarwal'`. */
  protocol: RelativeStabilityProtocol;
  /** Perturbed copies per sample. Default 50 (Quantus' own default is 200). */
  perturbations: number;
  /** Gaussian σ as a fraction of the data range width (`'agarwal'` only). Default 0.05. */
  sigma: number;
  /** Order of the norms: ≥ 1 or Infinity; `'quantus'` needs 2. Default 2. */
  p: number;
  /**
   * `ε_min`: added to an element-wise denominator entry that is exactly 0
   * (both protocols, as Quantus), and the floor of the ratio's denominator
   * norm. Default 1e-6.
   */
  epsMin: number;
  /** Keep only copies whose predicted class equals the original's (`'agarwal'` only). Default true. */
  sameClassOnly: boolean;
  /** Clip copies to the data range (`'agarwal'` only). Default false (SPEC: x' = x + N(0, σ²)). */
  clip: boolean;
  /** A custom perturbation replacing the protocol's (then `sigma` and `clip` are unused). */
  perturb: Perturbation | undefined;
  /**
   * Also report, in `extra.log10MeanOverBatches`, log10 of the mean over
   * consecutive batches of this many samples of each batch's nanmean (the
   * FMS authors' aggregation of ROS). Default undefined (not reported).
   */
  meanOverBatchesOf: number | undefined;
}

/** Options of the scale-aware variants (`risScaleAware`, ...): the shared ones plus the map floor. */
export interface ScaleAwareStabilityOptions extends RelativeStabilityOptions {
  /**
   * τ: in `(e_x − e_x')/e_x` every entry of `e_x` smaller in magnitude than
   * `τ·max|e_x|` divides by that floor instead (sign kept). Default 0.01.
   */
  floor: number;
}

const defaults: RelativeStabilityOptions = {
  protocol: 'agarwal',
  perturbations: 50,
  sigma: 0.05,
  p: 2,
  epsMin: 1e-6,
  sameClassOnly: true,
  clip: false,
  perturb: undefined,
  meanOverBatchesOf: undefined,
};

const scaleAwareDefaults: ScaleAwareStabilityOptions = { ...defaults, floor: 0.01 };

/** Quantus' default perturbation of its relative stabilities: `x + U(0.02, 0.2)`. */
const QUANTUS_UNIFORM = { low: 0.02, high: 0.2 } as const;

/** What a relative stability divides by: the input (RIS), an internal layer (RRS) or the logits (ROS). */
export type RelativeStabilityKind = 'input' | 'representation' | 'output';

/**
 * The objective of one copy (Agarwal et al. 2022, as Quantus'
 * `relative_*_stability_objective`), `[g·count]`:
 *
 * `‖(e_x − e_x')/e_x‖_p / D`, with D = `‖(x − x')/x‖_p` (input),
 * `‖(L_x − L_x')/L_x‖_p` (representation) or `‖h(x) − h(x')‖_p` (output, the
 * absolute logit change), each element-wise division adding ε only to exact
 * zeros, D floored at ε (`'agarwal'`) or raised by ε where exactly 0 (`'quantus'`).
 */
function stabilityObjective(
  numerator: tf.Tensor1D,
  change: tf.Tensor1D,
  epsMin: number,
  protocol: RelativeStabilityProtocol,
): tf.Tensor1D {
  return tf.tidy(() => {
    const denominator =
      protocol === 'quantus'
        ? tf.add(change, tf.mul(tf.equal(change, 0), epsMin))
        : tf.maximum(change, epsMin);
    return tf.div(numerator, denominator) as tf.Tensor1D;
  });
}

/**
 * Relative stability (Agarwal et al. 2022, "Rethinking Stability for
 * Attribution-based Explanations"; Quantus' `RelativeInputStability`,
 * `RelativeRepresentationStability`, `RelativeOutputStability`), for one sample x:
 *
 * - RIS: `max_{x'} ‖(e_x − e_x')/e_x‖_p / max(‖(x − x')/x‖_p, ε_min)`
 * - RRS: `max_{x'} ‖(e_x − e_x')/e_x‖_p / max(‖(L_x − L_x')/L_x‖_p, ε_min)`, L an internal layer
 * - ROS: `max_{x'} ‖(e_x − e_x')/e_x‖_p / max(‖h(x) − h(x')‖_p, ε_min)`, h the
 *   logits: the **absolute** change, not a relative one
 *
 * over copies x' drawn by the {@link RelativeStabilityProtocol}. In each
 * element-wise division a denominator entry gets ε_min added only where it is
 * exactly 0, so RIS(c·e) = RIS(e) for every scale c ≠ 0. The explanation of x'
 * is taken for x's predicted class. Lower is more stable; `extra.log10` holds
 * the log10 of each value (floored at 1e-12) and `extra.log10Mean` the log10 of
 * the mean (the FMS authors' summary).
 *
 * What dominates the ratios (known weaknesses, not hidden):
 * - RIS's denominator is dominated by exactly-zero pixels: each contributes
 *   `|δ|/ε_min`. For x = [0, 0.5], x' = [0.1, 0.55]: `Δx/x = [0.1/1e-6, 0.1]`,
 *   `‖·‖₂ ≈ 1e5`, whatever the model. On FMNIST (about half the pixels exactly 0)
 *   this is a constant of the data and the noise.
 * - The numerator is dominated by near-zero map entries: e_x = [1e-4, 1],
 *   e_x' = [1.1e-3, 0.9] gives `Δe/e = [−10, 0.1]`: the background entry that
 *   moved by 1e-3 outweighs the salient one that moved by 0.1 a hundredfold, so
 *   sparse maps are penalised for jitter where they are almost zero. Here
 *   RIS = 10.0005 / 1e5 ≈ 1e-4. The `…ScaleAware` variants floor these entries
 *   at τ·max|e_x| (reported under their own names, never as the default).
 *
 * Samples without a value (`'agarwal'`: no copy kept the class;
 * `'quantus'`: some copy changed it, Quantus' NaN) are left out, so the mean
 * is the nanmean: their indices are in `extra.skipped` (and, for `'quantus'`,
 * `extra.nanSamples`), the valued samples' in `extra.sampleIndex`. If no
 * sample has a value the metric fails with {@link MetricUndefinedError}.
 * A constant explanation gives 0.
 */
export async function relativeStability(
  ctx: ResolvedMetricContext,
  options: RelativeStabilityOptions,
  kind: RelativeStabilityKind,
  floor?: number,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  return (await relativeStabilities(ctx, options, [kind], floor))[kind];
}

/**
 * {@link relativeStability} for several kinds in one pass: the perturbed
 * copies are drawn and explained once, and every kind's ratio is measured on
 * the same copies. Each kind's result equals `relativeStability(ctx, options,
 * kind)` on a context with the same seed (the draws do not depend on the kinds).
 * `floor` (τ of {@link ScaleAwareStabilityOptions}) switches the map's
 * element-wise division to the scale-aware floor; undefined is the canonical rule.
 */
export async function relativeStabilities<K extends RelativeStabilityKind>(
  ctx: ResolvedMetricContext,
  options: RelativeStabilityOptions,
  kinds: readonly K[],
  floor?: number,
): Promise<Record<K, { values: number[]; extra: Record<string, unknown> }>> {
  const { protocol, perturbations, sigma, p, epsMin, sameClassOnly, clip, meanOverBatchesOf } =
    options;
  if (kinds.length === 0)
    throw new InvalidOptionError('relativeStabilities needs at least one kind');
  if (protocol !== 'agarwal' && protocol !== 'quantus') {
    throw new InvalidOptionError(`protocol must be "agarwal" or "quantus", got "${protocol}"`);
  }
  if (!Number.isInteger(perturbations) || perturbations < 1) {
    throw new InvalidOptionError(`perturbations must be a positive integer, got ${perturbations}`);
  }
  checkNormOrder(p);
  if (protocol === 'quantus' && p !== 2) {
    throw new InvalidOptionError(
      `protocol "quantus" uses the L2 norm (Quantus has no p); got p = ${p}: drop p or use protocol "agarwal"`,
    );
  }
  if (!(epsMin > 0)) throw new InvalidOptionError(`epsMin must be > 0, got ${epsMin}`);
  if (floor !== undefined && !(floor >= 0 && floor < 1)) {
    throw new InvalidOptionError(`floor must be in [0, 1), got ${floor}`);
  }
  if (
    meanOverBatchesOf !== undefined &&
    (!Number.isInteger(meanOverBatchesOf) || meanOverBatchesOf < 1)
  ) {
    throw new InvalidOptionError(
      `meanOverBatchesOf must be a positive integer or undefined, got ${meanOverBatchesOf}`,
    );
  }
  const [lo, hi] = ctx.dataRange;
  const perturb =
    options.perturb ??
    (protocol === 'quantus'
      ? uniformIntervalPerturbation(QUANTUS_UNIFORM.low, QUANTUS_UNIFORM.high)
      : gaussianPerturbation(sigma * (hi - lo), clip ? [lo, hi] : undefined));
  const representation = kinds.includes('representation' as K)
    ? representationModel(ctx.model!, ctx.representation!)
    : null;

  const changeOf = (g: PerturbedGroup, kind: RelativeStabilityKind): tf.Tensor1D => {
    if (kind === 'input') return rowNorm(relativeChange(g.xRep, g.xp, epsMin), p);
    if (kind === 'output') return rowNorm(tf.sub(g.logitsRep, g.logitsP), p);
    const h = representation!.predict(g.x) as tf.Tensor;
    const hp = representation!.predict(g.xp) as tf.Tensor;
    const [n, ...rest] = h.shape;
    const count = hp.shape[0] / n;
    const hRep = tf.reshape(
      tf.tile(tf.expandDims(h, 1), [1, count, ...rest.map(() => 1)]),
      hp.shape,
    );
    return rowNorm(relativeChange(hRep, hp, epsMin), p);
  };

  // One `[kinds, g·count]` tensor per group: the explanation change is shared.
  const rows = await measurePerturbed(ctx, perturbations, perturb, (g) =>
    tf.tidy(() => {
      const mapChange =
        floor === undefined
          ? relativeChange(g.exRep, g.ep, epsMin)
          : flooredRelativeChange(g.exRep, g.ep, floor, epsMin);
      const numerator = rowNorm(mapChange, p);
      return tf.stack(
        kinds.map((kind) => stabilityObjective(numerator, changeOf(g, kind), epsMin, protocol)),
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
      let changed = false;
      for (let j = i * perturbations; j < (i + 1) * perturbations; j++) {
        if (!rows.sameClass[j]) {
          changed = true;
          if (protocol === 'quantus' || sameClassOnly) continue;
        }
        count++;
        if (ratios[j] > best) best = ratios[j];
      }
      kept.push(count);
      if (count === 0 || (protocol === 'quantus' && changed)) {
        skipped.push(i);
      } else {
        values.push(best);
        sampleIndex.push(i);
      }
    }
    if (values.length === 0) {
      throw new MetricUndefinedError(
        `relative ${kind} stability: ${protocol === 'quantus' ? 'some' : 'every one'} of the ${perturbations} perturbations of every one of the ${n} samples changed the predicted class; ` +
          (protocol === 'quantus'
            ? 'use fewer perturbations or a model whose predictions survive x + U(0.02, 0.2)'
            : 'lower sigma, raise perturbations, or set sameClassOnly: false'),
      );
    }
    const extra: Record<string, unknown> = {
      sampleIndex,
      skipped,
      keptPerturbations: kept,
      log10Mean: log10OfMean(values),
    };
    if (protocol === 'quantus') extra.nanSamples = skipped;
    if (meanOverBatchesOf !== undefined) {
      extra.log10MeanOverBatches = log10OfMeanOverBatches(values, sampleIndex, meanOverBatchesOf);
    }
    out[kind] = { values, extra };
  });
  return out;
}

const requiresOf = (kind: RelativeStabilityKind) =>
  kind === 'representation'
    ? (['model', 'x', 'explain', 'representation'] as const)
    : (['model', 'x', 'explain'] as const);

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
      requires: requiresOf(kind),
      defaults,
      compute: (ctx, options) => relativeStability(ctx, options, kind),
    },
    { replace: true },
  );
}

function scaleAwareMetric(
  name: string,
  kind: RelativeStabilityKind,
  description: string,
): Metric<ScaleAwareStabilityOptions> {
  return defineMetric<ScaleAwareStabilityOptions>(
    {
      name,
      description,
      higherIsBetter: false,
      reportLog10: true,
      requires: requiresOf(kind),
      defaults: scaleAwareDefaults,
      compute: (ctx, { floor, ...options }) => relativeStability(ctx, options, kind, floor),
    },
    { replace: true },
  );
}

/** Relative input stability (RIS), see {@link relativeStability}. */
export const relativeInputStability = stabilityMetric(
  'ris',
  'input',
  'relative input stability (Agarwal et al. 2022, as Quantus): max ‖Δe/e‖_p / max(‖Δx/x‖_p, ε_min) over same-class perturbations',
);

/** Relative representation stability (RRS), see {@link relativeStability}; needs `ctx.representation`. */
export const relativeRepresentationStability = stabilityMetric(
  'rrs',
  'representation',
  'relative representation stability (Agarwal et al. 2022, as Quantus): max ‖Δe/e‖_p / max(‖ΔL/L‖_p, ε_min), L an internal layer',
);

/** Relative output stability (ROS), see {@link relativeStability}. */
export const relativeOutputStability = stabilityMetric(
  'ros',
  'output',
  'relative output stability (Agarwal et al. 2022, as Quantus): max ‖Δe/e‖_p / max(‖h(x) − h(x′)‖_p, ε_min), h the logits',
);

/** RIS with the map's element-wise division floored at τ·max|e_x| ({@link ScaleAwareStabilityOptions}); not Agarwal's definition. */
export const scaleAwareInputStability = scaleAwareMetric(
  'risScaleAware',
  'input',
  'RIS with map entries below τ·max|e_x| divided by that floor (scale-aware variant, not the canonical RIS)',
);

/** RRS with the scale-aware map floor, see {@link scaleAwareInputStability}. */
export const scaleAwareRepresentationStability = scaleAwareMetric(
  'rrsScaleAware',
  'representation',
  'RRS with map entries below τ·max|e_x| divided by that floor (scale-aware variant, not the canonical RRS)',
);

/** ROS with the scale-aware map floor, see {@link scaleAwareInputStability}. */
export const scaleAwareOutputStability = scaleAwareMetric(
  'rosScaleAware',
  'output',
  'ROS with map entries below τ·max|e_x| divided by that floor (scale-aware variant, not the canonical ROS)',
);
