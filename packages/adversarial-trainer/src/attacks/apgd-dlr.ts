import { dlrLossPerSample } from '../losses/dlr';
import { APGD_DEFAULTS, type ApgdOptions, apgd, apgdDefaultStepSize, fixedLoss } from './apgd';
import { defineAttack } from './attack';
import { outputClasses } from './sample-rows';

/**
 * APGD-DLR (Croce & Hein 2020): {@link apgd} ascending the untargeted
 * difference-of-logits-ratio loss ({@link dlrLossPerSample}), which is
 * invariant to scaling the logits, so it still has a gradient where a
 * saturated softmax gives the cross-entropy none. Needs ≥ 3 classes.
 * Defaults as AutoAttack's `APGDAttack` with `loss='dlr'`.
 *
 * @example
 * const xAdv = attackRegistry.get('apgd-dlr').run(model, x, y, { eps: 8 / 255 });
 */
export const apgdDlr = defineAttack<ApgdOptions>(
  {
    name: 'apgd-dlr',
    description: 'Auto-PGD on the scale-invariant DLR loss (Croce & Hein 2020)',
    defaults: { ...APGD_DEFAULTS, randomStart: true, loss: dlrLossPerSample },
    defaultStepSize: apgdDefaultStepSize,
    perturb(ctx) {
      const loss = ctx.options.loss ?? dlrLossPerSample;
      if (loss === dlrLossPerSample) outputClasses(ctx, 'apgd-dlr', 3, 'the DLR loss');
      return apgd(ctx, 'apgd-dlr', ctx.options.restarts, fixedLoss(loss));
    },
  },
  { replace: true },
);
