import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import { checkApgdNorm } from './apgd';
import { type Attack, type AttackContext, defineAttack } from './attack';
import { resolveAttack } from './registry';
import { cleanRobustness, robustSubBatch } from './robust-rows';
import { predictedClasses, rejectOptions, scatterRows } from './sample-rows';

/** Extra options of {@link autoAttack}. */
export interface AutoAttackOptions {
  /**
   * The attacks run in order, each only on the samples still robust: registered
   * names or plugins. Default `['apgd-ce', 'apgd-t', 'apgd-dlr', 'square']`
   * (AutoAttack's standard version with APGD-DLR in place of FAB-T).
   */
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin
  attacks: readonly (string | Attack<any>)[];
  /** Threat model of the APGD attacks: `'linf'` (default) or `'l2'` (Square is L∞ only). */
  norm: 'linf' | 'l2';
  /** Restarts of each APGD attack. Default 1 (standard version). */
  restarts: number;
  /** Target classes of APGD-T. Default 9 (capped at classes − 1). */
  nTargetClasses: number;
  /** Queries of Square. Default 5000 (standard version). `steps` is the APGD iterations (default 100). */
  queries: number;
}

/** AutoAttack's standard list, FAB-T replaced by APGD-DLR (see {@link autoAttack}). */
export const AUTO_ATTACK_STANDARD = Object.freeze(['apgd-ce', 'apgd-t', 'apgd-dlr', 'square']);

/** What {@link runAutoAttack} returns. */
export interface AutoAttackResult {
  /** `[batch,h,w,c]`: the first adversarial found per sample, the clean `x` for samples robust to all. */
  xAdv: tf.Tensor4D;
  /** Per sample: still correctly classified after every attack. */
  robust: boolean[];
  /** Samples still robust: `clean` first, then after each attack in order (AutoAttack's robust-accuracy log). */
  robustAfter: { attack: string; robust: number }[];
}

/** The options an ensemble member gets from the ensemble's, by what it accepts. */
// biome-ignore lint/suspicious/noExplicitAny: any attack plugin
function memberOptions(plugin: Attack<any>, ctx: AttackContext<AutoAttackOptions>): object {
  const o = ctx.options;
  const accepts = (key: string) => key in plugin.defaults;
  if (plugin.name === 'square') {
    // AutoAttack runs Square with p_init 0.8, one restart, the schedule not rescaled.
    return { steps: o.queries, pInit: 0.8, restarts: 1, rescaleSchedule: false };
  }
  return {
    steps: ctx.steps,
    ...(accepts('norm') ? { norm: o.norm } : {}),
    ...(accepts('restarts') ? { restarts: o.restarts } : {}),
    ...(accepts('nTargetClasses') ? { nTargetClasses: o.nTargetClasses } : {}),
  };
}

/**
 * Runs the ensemble with the sample-wise worst-of rule of `run_standard_evaluation`
 * (fra31/auto-attack `autoattack.py`): a sample counts as robust only if it is
 * correctly classified on clean input and no attack fools it; each attack runs
 * only on the samples all earlier ones failed on. Each member draws from its
 * own generator, seeded `mixSeed(seed, name)` from one draw of `ctx.rng`.
 */
export function runAutoAttack(ctx: AttackContext<AutoAttackOptions>): AutoAttackResult {
  const o = ctx.options;
  validate(o);
  rejectOptions(ctx, 'autoattack', {
    targeted: 'the ensemble is untargeted (apgd-t picks its own targets)',
    randomStart: 'its members choose their own starts',
    init: 'its members choose their own starts',
    stepSize: 'APGD adapts its own step sizes and Square has none',
    stepWeights: 'Square has no gradient step to weight (use mask to restrict pixels)',
    loss: 'each member has its own loss',
  });
  const members = o.attacks.map(resolveAttack);
  if (o.norm === 'l2' && members.some((m) => m.name === 'square')) {
    throw new InvalidOptionError(
      "autoattack: Square is implemented for L∞ only; with norm 'l2' pass attacks without 'square'",
    );
  }
  const { labels, robust } = cleanRobustness(ctx);
  const count = () => robust.filter(Boolean).length;
  const robustAfter = [{ attack: 'clean', robust: count() }];
  const seed = ctx.rng.int(2 ** 31);
  let xAdv = tf.clone(ctx.x);
  for (const member of members) {
    const sub = robustSubBatch(ctx, robust);
    if (sub) {
      const { rows, mask } = sub;
      // Members take per-sample radii as `[rows]`, the context holds them as `[rows, 1, 1, 1]`.
      const eps = tf.reshape(sub.eps, [rows.length]) as tf.Tensor1D;
      const out = member.run(ctx.model, sub.x, sub.labels, {
        ...memberOptions(member, ctx),
        eps,
        range: ctx.range,
        ...(mask ? { mask } : {}),
        rng: new SeededRandom(mixSeed(seed, member.name)),
      });
      const predicted = predictedClasses(ctx, out);
      const fooled = rows.map((s, j) => predicted[j] !== labels[s]);
      rows.forEach((s, j) => {
        if (fooled[j]) robust[s] = false;
      });
      const next = scatterRows(xAdv, out, rows, fooled);
      sub.dispose();
      tf.dispose([xAdv, out, eps]);
      xAdv = next;
    }
    robustAfter.push({ attack: member.name, robust: count() });
  }
  return { xAdv, robust, robustAfter };
}

/**
 * AutoAttack (Croce & Hein, ICML 2020, *Reliable evaluation of adversarial
 * robustness with an ensemble of diverse parameter-free attacks*), standard
 * version: APGD-CE, APGD-T (9 target classes), then Square (5000 queries), 100
 * APGD iterations, one restart, with the worst-of rule of {@link runAutoAttack};
 * robust accuracy under it is the fraction of samples robust to all.
 *
 * FAB-T, the third member of the standard version, is replaced by untargeted
 * APGD-DLR (a member of AutoAttack's "plus" version): FAB needs the gradient
 * of every class's logit at every step and a minimum-norm projection we do not
 * have, and what FAB-T guards against, a loss whose gradient the model hides,
 * APGD-DLR's scale-invariant loss (and gradient-free Square) covers too. Pass
 * `attacks` to run another list.
 *
 * Returns the first adversarial found per sample and the clean `x` for samples
 * robust to all (as AutoAttack). `steps` is the APGD iterations.
 *
 * @example
 * const xAdv = attackRegistry.get('autoattack').run(model, x, y, { eps: 8 / 255 });
 * // robust accuracy: the share of samples still classified as y on xAdv
 */
export const autoAttack = defineAttack<AutoAttackOptions>(
  {
    name: 'autoattack',
    description:
      'AutoAttack ensemble APGD-CE, APGD-T, APGD-DLR (for FAB-T), Square with the worst-of rule (Croce & Hein 2020)',
    defaults: {
      steps: 100,
      attacks: AUTO_ATTACK_STANDARD,
      norm: 'linf',
      restarts: 1,
      nTargetClasses: 9,
      queries: 5000,
    },
    perturb: (ctx) => runAutoAttack(ctx).xAdv,
  },
  { replace: true },
);

function validate(o: AutoAttackOptions): void {
  if (!Array.isArray(o.attacks) || o.attacks.length === 0) {
    throw new InvalidOptionError(
      `autoattack: attacks must be a non-empty list of attack names or plugins, e.g. ${JSON.stringify(AUTO_ATTACK_STANDARD)}`,
    );
  }
  checkApgdNorm('autoattack', o.norm);
  if (!(Number.isInteger(o.queries) && o.queries >= 1)) {
    throw new InvalidOptionError(`autoattack: queries must be an integer ≥ 1, got ${o.queries}`);
  }
}
