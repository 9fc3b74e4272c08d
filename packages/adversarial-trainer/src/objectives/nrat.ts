import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import type { Attack, AttackOptions } from '../attacks/attack';
import { pgdGroup } from '../attacks/pgd-group';
import { pgdL2 } from '../attacks/pgd-l2';
import { pgdLinf } from '../attacks/pgd-linf';
import { proxRegularised } from '../attacks/prox-regularised';
import { crossEntropy } from '../losses/cross-entropy';
import { resolveRegulariser } from '../regularisers/registry';
import type { Regulariser } from '../regularisers/regulariser';
import { defineObjective } from './objective';

/** The gradient-map structure NRAT trains for. */
export type NratStructure = 'sparse' | 'group-sparse' | 'smooth';
/** The attack norm NRAT trains against. */
export type NratNorm = 'linf' | 'l2' | 'group';

/** Options of {@link nrat}. */
export interface NratOptions {
  /** The structure wanted: `'sparse'` → L∞ attack (dual L1), `'group-sparse'` → group attack (dual group-L1), `'smooth'` → L2 attack (dual L2). Default `'sparse'` when `norm` is not set. */
  structure?: NratStructure;
  /** The attack norm, instead of `structure` (both may be given if they agree). */
  norm?: NratNorm;
  /** Side `k` of the `k×k` patches of the group norm / group regulariser. Default 4. */
  patch: number;
  /**
   * Radius of the attack in its own norm. Default: the run's L∞ `attackOptions.eps`
   * for `linf`, and for `l2` and `group` that ε times `k·√c` — the L2 radius of
   * one `k×k` patch moved by ε in every pixel and channel (the run's step size
   * is scaled by the same factor).
   */
  eps?: number;
  /**
   * Use the norm-regularised attack `max_δ L(x+δ) − λR(δ)` (`prox-regularised`)
   * with this penalty instead of the norm-ball attack: a name (`l1`, `l2`,
   * `group`, `elastic-net`, `elastic-net-conjugate`) or a plugin. Default: none,
   * or the structure's (`sparse` → `l1`, `group-sparse` → `group`, `smooth` → `l2`)
   * when `lambda` is set.
   */
  regulariser?: string | Regulariser;
  /** Weight λ of the penalty in the regularised attack. Default 1. */
  lambda?: number;
  /** Proximal step η of the regularised attack (input units per unit of loss gradient). Default 1. */
  proxStepSize?: number;
  /** Elastic-net L1 share α (regulariser `elastic-net`). Default 0.5. */
  l1Ratio?: number;
  /** Free zone τ (regulariser `elastic-net-conjugate`). Default 0.01. */
  deadZone?: number;
}

const STRUCTURE_NORM: Record<NratStructure, NratNorm> = {
  sparse: 'linf',
  'group-sparse': 'group',
  smooth: 'l2',
};
const NORM_REGULARISER: Record<NratNorm, string> = { linf: 'l1', group: 'group', l2: 'l2' };

/** The attack and its options that `nrat` uses for a run, from its options and the run's attack options. */
export function nratAttack(
  options: NratOptions,
  attackOptions: AttackOptions,
  channels: number,
  // biome-ignore lint/suspicious/noExplicitAny: attacks differ in their extra options
): { attack: Attack<any>; options: AttackOptions & Record<string, unknown> } {
  const norm = resolveNorm(options);
  const patch = options.patch ?? 4;
  const { stepSize, ...rest } = attackOptions;
  if (options.regulariser !== undefined || options.lambda !== undefined) {
    const regulariser = resolveRegulariser(options.regulariser ?? NORM_REGULARISER[norm]);
    return {
      attack: proxRegularised,
      options: {
        ...rest,
        ...(options.eps !== undefined ? { eps: options.eps } : {}),
        regulariser,
        lambda: options.lambda ?? 1,
        stepSize: options.proxStepSize ?? 1,
        patch,
        ...(options.l1Ratio !== undefined ? { l1Ratio: options.l1Ratio } : {}),
        ...(options.deadZone !== undefined ? { deadZone: options.deadZone } : {}),
      },
    };
  }
  if (norm === 'linf') {
    const eps = options.eps ?? attackOptions.eps;
    return { attack: pgdLinf, options: { ...attackOptions, eps } };
  }
  if (typeof attackOptions.eps !== 'number' && options.eps === undefined) {
    throw new InvalidOptionError(
      `nrat: the ${norm} attack needs a number eps; the run's attackOptions.eps is a per-sample tensor — set objectiveOptions.eps`,
    );
  }
  const factor = patch * Math.sqrt(channels);
  const eps = options.eps ?? (attackOptions.eps as number) * factor;
  const scale = eps / (attackOptions.eps as number);
  const scaled =
    stepSize === undefined
      ? {}
      : { stepSize: Number.isFinite(scale) ? stepSize * scale : undefined };
  return norm === 'group'
    ? { attack: pgdGroup, options: { ...rest, ...scaled, eps, patch } }
    : { attack: pgdL2, options: { ...rest, ...scaled, eps } };
}

function resolveNorm(options: NratOptions): NratNorm {
  const { structure, norm } = options;
  if (structure !== undefined && !(structure in STRUCTURE_NORM)) {
    throw new InvalidOptionError(
      `nrat: structure "${structure}" is unknown; use sparse, group-sparse or smooth`,
    );
  }
  if (norm !== undefined && !['linf', 'l2', 'group'].includes(norm)) {
    throw new InvalidOptionError(`nrat: norm "${norm}" is unknown; use linf, l2 or group`);
  }
  if (structure !== undefined && norm !== undefined && STRUCTURE_NORM[structure] !== norm) {
    throw new InvalidOptionError(
      `nrat: structure "${structure}" needs the ${STRUCTURE_NORM[structure]} attack but norm "${norm}" was given; set only one of them`,
    );
  }
  return norm ?? STRUCTURE_NORM[structure ?? 'sparse'];
}

/**
 * Norm-regularised adversarial training (NRAT; Gong, Dou, Farnia, CVPR 2024,
 * *Structured Gradient-based Interpretations via Norm-Regularized Adversarial
 * Training*): `min_θ (1/n) Σ_i CE(f(x_i + δ_i*), y_i)` with
 * `δ* = argmax_{‖δ‖ ≤ ε} CE(f(x+δ), y)` (norm-ball attack) or
 * `δ* = argmax_δ CE(f(x+δ), y) − λR(δ)` (norm-regularised attack, proximal ascent).
 * By duality, `max_{‖δ‖≤ε} L(x+δ) ≈ L(x) + ε‖∇ₓL‖_*`, so the attack norm picks
 * the structure of the gradient map: L∞ → L1 (sparse), group-L2,∞ over k×k
 * patches → group-L1 (connected blobs), L2 → L2 (smooth); a regularised attack
 * penalises the conjugate `(λR)*(∇ₓL)`.
 *
 * Loss: CE on the adversarial input only (Madry-style), as in the paper's code;
 * by Danskin's theorem the `−λR(δ*)` term does not depend on θ and drops out.
 * The objective picks its own attack from its options (the run's `attack` is
 * not used); ε, steps, step size, range and rng come from the run's attack options.
 */
export const nrat = defineObjective<NratOptions, { xAdv: tf.Tensor4D }>(
  {
    name: 'nrat',
    description:
      'CE on x + δ*, δ* from an L∞ / group / L2 or norm-regularised attack (Gong, Dou, Farnia 2024)',
    defaults: {
      structure: undefined,
      norm: undefined,
      patch: 4,
      eps: undefined,
      regulariser: undefined,
      lambda: undefined,
      proxStepSize: undefined,
      l1Ratio: undefined,
      deadZone: undefined,
    },
    prepare(ctx) {
      const { attack, options } = nratAttack(ctx.options, ctx.attackOptions, ctx.x.shape[3]);
      return { xAdv: attack.run(ctx.model, ctx.x, ctx.y, options) };
    },
    loss(ctx, { xAdv }) {
      const logits = ctx.logits(xAdv);
      return { loss: crossEntropy(logits, ctx.y), logits };
    },
  },
  { replace: true },
);
