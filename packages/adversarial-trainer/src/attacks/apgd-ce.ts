import { crossEntropyPerSample } from '../losses/cross-entropy';
import { APGD_DEFAULTS, type ApgdOptions, apgd, apgdDefaultStepSize, fixedLoss } from './apgd';
import { defineAttack } from './attack';

/**
 * APGD-CE (Croce & Hein 2020): {@link apgd} ascending the cross-entropy, the
 * first attack of AutoAttack. `loss` may replace the cross-entropy (any
 * `(logits, labels) → [batch]`). Defaults as AutoAttack's `APGDAttack`:
 * 100 steps, η⁰ = 2ε, ρ = 0.75, one restart, L∞.
 *
 * @example
 * const xAdv = attackRegistry.get('apgd-ce').run(model, x, y, { eps: 8 / 255, steps: 100 });
 */
export const apgdCe = defineAttack<ApgdOptions>(
  {
    name: 'apgd-ce',
    description:
      'Auto-PGD on the cross-entropy: step halving, momentum, restarts (Croce & Hein 2020)',
    defaults: { ...APGD_DEFAULTS, randomStart: true },
    defaultStepSize: apgdDefaultStepSize,
    perturb(ctx) {
      const loss = ctx.options.loss ?? crossEntropyPerSample;
      return apgd(ctx, 'apgd-ce', ctx.options.restarts, fixedLoss(loss));
    },
  },
  { replace: true },
);
