import * as tf from '@tensorflow/tfjs-core';
import { projectLinf } from '../attacks/norm-ball';
import { crossEntropy } from '../losses/cross-entropy';
import { klDivergencePerSample } from '../losses/kl-divergence';
import { defineObjective } from './objective';

/** Options of {@link trades}. */
export interface TradesOptions {
  /** Weight β of the robustness (KL) term. Default 6 (the paper's CIFAR-10 / MNIST choice). */
  beta: number;
  /** Std of the Gaussian start of the inner maximisation, in input units. Default 0.001 (the paper's code). */
  startNoise: number;
}

/**
 * TRADES (Zhang et al. 2019, *Theoretically Principled Trade-off between
 * Robustness and Accuracy*):
 * `L = (1/n) Σ_i [ CE(f(x_i), y_i) + β · KL(softmax f(x_i) ‖ softmax f(x'_i)) ]`,
 * where `x' = argmax_{x'∈B(x,ε)} KL(softmax f(x) ‖ softmax f(x'))` is found by the
 * run's attack (PGD-L∞ by default) climbing the KL from `x + 0.001·N(0, I)`
 * (KL has zero gradient at `x' = x`, hence the noisy start), with the clean
 * distribution taken in inference mode and held constant.
 */
export const trades = defineObjective<TradesOptions, { xAdv: tf.Tensor4D }>(
  {
    name: 'trades',
    description: 'CE(x) + β·KL(f(x) ‖ f(x′)), x′ maximising the KL (Zhang et al. 2019)',
    defaults: { beta: 6, startNoise: 0.001 },
    prepare(ctx) {
      const { model, x, y, attackOptions, options } = ctx;
      const clean = model.apply(x, { training: false }) as tf.Tensor2D;
      const eps =
        typeof attackOptions.eps === 'number'
          ? attackOptions.eps
          : tf.reshape(attackOptions.eps, [-1, 1, 1, 1]);
      const noise = tf.mul(ctx.rng.normalTensor(x.shape), options.startNoise);
      const range = attackOptions.range ?? [0, 1];
      const init = tf.clipByValue(
        tf.add(x, projectLinf(noise, typeof eps === 'number' ? tf.scalar(eps) : eps)),
        range[0],
        range[1],
      ) as tf.Tensor4D;
      const xAdv = ctx.attack.run(model, x, y, {
        ...attackOptions,
        targeted: false,
        init,
        loss: (logits: tf.Tensor2D) => klDivergencePerSample(clean, logits),
      });
      return { xAdv };
    },
    loss(ctx, { xAdv }) {
      const logits = ctx.logits(ctx.x);
      const advLogits = ctx.logits(xAdv);
      const robust = tf.mean(klDivergencePerSample(logits, advLogits));
      const loss = tf.add(
        crossEntropy(logits, ctx.y),
        tf.mul(ctx.options.beta, robust),
      ) as tf.Scalar;
      return { loss, logits };
    },
  },
  { replace: true },
);
