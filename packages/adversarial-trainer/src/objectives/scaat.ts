import * as tf from '@tensorflow/tfjs-core';
import type { AttributionMethod } from '@trustgrad/attribution';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { pgdLinf } from '../attacks/pgd-linf';
import { pixelBudgetPgd } from '../attacks/pixel-budget-pgd';
import { saliencyMap } from '../explanations/saliency-map';
import { crossEntropy, crossEntropyPerSample } from '../losses/cross-entropy';
import { klDivergencePerSample } from '../losses/kl-divergence';
import { defineObjective } from './objective';

/** Options of {@link scaat}. */
export interface ScaatOptions {
  /** Weight λ of the adversarial term. Default 1. */
  lambda: number;
  /** Adversarial term: `'ce'` → `CE(f(x'), y)`, `'kl'` → `KL(f(x) ‖ f(x'))`. Default `'ce'`. */
  robustLoss: 'ce' | 'kl';
  /**
   * Where `1 − S` acts: `'weighted'` (default) weights both the step and the
   * per-pixel box (`|δ_j| ≤ ε_i(1 − S_j)`, so salient pixels keep their value);
   * `'uniform'` weights only the step and keeps the box `|δ_j| ≤ ε_i`.
   */
  budget: 'weighted' | 'uniform';
  /**
   * Per-sample ε: `'saliency'` (default) `ε_i = ε · (1 − s̄_i) / mean_j(1 − s̄_j)`
   * with `s̄_i` the mean of sample i's map — samples whose saliency is
   * concentrated (much low-saliency background) get more budget, the batch
   * mean stays ε; `'none'` keeps ε for every sample.
   */
  epsScaling: 'saliency' | 'none';
  /** Saliency method (any attribution plugin). Default `'vg'` of the label's logit. */
  // biome-ignore lint/suspicious/noExplicitAny: any attribution plugin
  saliency: string | AttributionMethod<any>;
}

/** What {@link scaat}'s `prepare` builds. */
export interface ScaatPrepared {
  xAdv: tf.Tensor4D;
  /** `[batch, h, w, 1]` saliency in [0, 1]. */
  saliency: tf.Tensor4D;
}

/**
 * SCAAT (*Saliency Constrained Adaptive Adversarial Training*, SPEC 2.4): at each
 * step the model's saliency `S` (VG, `|∂f_y/∂x|` summed over channels, divided by
 * its max per sample, so `S ∈ [0, 1]`) guides PGD-L∞: step
 * `α · (1 − S) ⊙ sign ∇ₓCE`, start `(1 − S) ⊙ U(−ε_i, ε_i)`, box `|δ_j| ≤ ε_i(1 − S_j)`
 * (see `budget`), ε_i scaled per sample (see `epsScaling`). Low-saliency pixels —
 * the noise — get the budget, so the model learns to give them no attribution.
 * Loss `(1/n) Σ_i CE(f(x_i), y_i) + λ·CE(f(x'_i), y_i)` (or `λ·KL(f(x_i) ‖ f(x'_i))`).
 * ε, steps, step size, range and rng come from the run's attack options; the
 * run's attack is not used.
 */
export const scaat = defineObjective<ScaatOptions, ScaatPrepared>(
  {
    name: 'scaat',
    description: 'CE(x) + λ·CE(x′), x′ from PGD with per-pixel budget 1 − VG saliency (SCAAT)',
    defaults: {
      lambda: 1,
      robustLoss: 'ce',
      budget: 'weighted',
      epsScaling: 'saliency',
      saliency: 'vg',
    },
    prepare(ctx) {
      const { model, x, y, options } = ctx;
      validate(options);
      const saliency = saliencyMap(model, x, y, options.saliency);
      const free = tf.sub(1, saliency);
      let eps = ctx.attackOptions.eps;
      if (options.epsScaling === 'saliency') {
        const room = tf.mean(free, [1, 2, 3]) as tf.Tensor1D;
        const base = typeof eps === 'number' ? tf.scalar(eps) : eps;
        eps = tf.mul(base, tf.div(room, tf.maximum(tf.mean(room), 1e-12))) as tf.Tensor1D;
      }
      const attackOptions = { ...ctx.attackOptions, eps, stepWeights: free };
      const xAdv =
        options.budget === 'weighted'
          ? pixelBudgetPgd.run(model, x, y, { ...attackOptions, budget: free })
          : pgdLinf.run(model, x, y, attackOptions); // step weighted, box uniform
      return { xAdv, saliency };
    },
    loss(ctx, { xAdv }) {
      const logits = ctx.logits(ctx.x);
      const advLogits = ctx.logits(xAdv);
      const robust =
        ctx.options.robustLoss === 'kl'
          ? tf.mean(klDivergencePerSample(logits, advLogits))
          : tf.mean(crossEntropyPerSample(advLogits, ctx.y));
      const loss = tf.add(
        crossEntropy(logits, ctx.y),
        tf.mul(ctx.options.lambda, robust),
      ) as tf.Scalar;
      return { loss, logits };
    },
  },
  { replace: true },
);

function validate(o: ScaatOptions): void {
  if (!(Number.isFinite(o.lambda) && o.lambda >= 0)) {
    throw new InvalidOptionError(`scaat: lambda must be a finite number ≥ 0, got ${o.lambda}`);
  }
  if (o.robustLoss !== 'ce' && o.robustLoss !== 'kl') {
    throw new InvalidOptionError(
      `scaat: robustLoss must be 'ce' or 'kl', got "${String(o.robustLoss)}"`,
    );
  }
  if (o.budget !== 'weighted' && o.budget !== 'uniform') {
    throw new InvalidOptionError(
      `scaat: budget must be 'weighted' or 'uniform', got "${String(o.budget)}"`,
    );
  }
  if (o.epsScaling !== 'saliency' && o.epsScaling !== 'none') {
    throw new InvalidOptionError(
      `scaat: epsScaling must be 'saliency' or 'none', got "${String(o.epsScaling)}"`,
    );
  }
}
