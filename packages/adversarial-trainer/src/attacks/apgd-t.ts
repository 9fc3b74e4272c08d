import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { targetedDlrLossPerSample } from '../losses/dlr';
import { APGD_DEFAULTS, type ApgdOptions, apgd, apgdDefaultStepSize } from './apgd';
import { defineAttack } from './attack';
import { outputClasses, rejectOptions } from './sample-rows';

/** Extra options of {@link apgdT}. */
export interface ApgdTOptions extends ApgdOptions {
  /** How many target classes to try: the 2nd, 3rd, … most likely class of the clean input. Default 9. */
  nTargetClasses: number;
}

/**
 * APGD-T (Croce & Hein 2020): {@link apgd} on the targeted DLR loss
 * ({@link targetedDlrLossPerSample}) for each of the `nTargetClasses` most
 * likely wrong classes of the clean input in turn (the k-th largest logit,
 * k = 2 … nTargetClasses+1), each target with `restarts` runs on the samples
 * still robust, as `APGDAttack_targeted` of fra31/auto-attack. Untargeted in
 * effect: success is any misclassification. `nTargetClasses` is capped at
 * classes − 1 (the reference would index past the logits). Needs ≥ 4 classes.
 *
 * @example
 * const xAdv = attackRegistry.get('apgd-t').run(model, x, y, { eps: 8 / 255, nTargetClasses: 9 });
 */
export const apgdT = defineAttack<ApgdTOptions>(
  {
    name: 'apgd-t',
    description: 'Auto-PGD on the targeted DLR loss over the top wrong classes (Croce & Hein 2020)',
    defaults: { ...APGD_DEFAULTS, randomStart: true, nTargetClasses: 9 },
    defaultStepSize: apgdDefaultStepSize,
    perturb(ctx) {
      const o = ctx.options;
      rejectOptions(ctx, 'apgd-t', { loss: 'apgd-t always ascends the targeted DLR loss' });
      if (!(Number.isInteger(o.nTargetClasses) && o.nTargetClasses >= 1)) {
        throw new InvalidOptionError(
          `apgd-t: nTargetClasses must be an integer ≥ 1, got ${o.nTargetClasses}`,
        );
      }
      const classes = outputClasses(ctx, 'apgd-t', 4, 'the targeted DLR loss');
      const targets = Math.min(o.nTargetClasses, classes - 1);
      return apgd(ctx, 'apgd-t', targets * o.restarts, (run, x, labels) => {
        // The target of this run: the (rank)-th largest clean logit of each sample.
        const rank = Math.floor(run / o.restarts) + 2;
        const target = tf.tidy(() => {
          const logits = ctx.model.apply(x, { training: false }) as tf.Tensor2D;
          const { indices } = tf.topk(logits, rank);
          return tf.reshape(tf.slice(indices, [0, rank - 1], [-1, 1]), [-1]) as tf.Tensor1D;
        });
        return {
          lossOf: (logits) => targetedDlrLossPerSample(logits, labels, target),
          dispose: () => target.dispose(),
        };
      });
    },
  },
  { replace: true },
);
