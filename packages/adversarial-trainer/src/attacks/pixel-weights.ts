import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext } from './attack';

/**
 * The per-pixel factor of an attack's step: `mask ⊙ stepWeights` (either may
 * be absent), or undefined when neither is set. Multiplying the step and the
 * random start by it keeps pixels with mask 0 untouched.
 */
export function pixelWeights(ctx: AttackContext<unknown>): tf.Tensor | undefined {
  if (ctx.mask && ctx.stepWeights) return tf.mul(ctx.mask, ctx.stepWeights);
  return ctx.mask ?? ctx.stepWeights;
}

/** `t ⊙ w` when `w` is set, else `t` itself. */
export function weighted(t: tf.Tensor, w: tf.Tensor | undefined): tf.Tensor {
  return w ? tf.mul(t, w) : t;
}
