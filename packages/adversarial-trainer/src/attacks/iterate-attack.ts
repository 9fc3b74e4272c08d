import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext } from './attack';

/**
 * The loop every projected-gradient attack here shares: start from
 * `ctx.init` when given, else from `randomStart()` when `ctx.randomStart`,
 * else from `x`; then `ctx.steps` times `xAdv ← step(xAdv)`. Each start and
 * step runs in its own `tf.tidy` and the previous iterate is freed, so memory
 * stays flat however many steps are asked for.
 */
export function iterateAttack(
  ctx: AttackContext<unknown>,
  randomStart: () => tf.Tensor4D,
  step: (xAdv: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  let xAdv: tf.Tensor4D;
  if (ctx.init) xAdv = tf.clone(ctx.init);
  else if (ctx.randomStart) xAdv = tf.tidy(randomStart);
  else xAdv = tf.clone(ctx.x);
  for (let k = 0; k < ctx.steps; k++) {
    const next = tf.tidy(() => step(xAdv));
    xAdv.dispose();
    xAdv = next;
  }
  return xAdv;
}
