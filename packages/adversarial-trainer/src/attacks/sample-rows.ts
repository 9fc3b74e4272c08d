import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import type { AttackContext } from './attack';

/**
 * Per-sample bookkeeping of the attacks that keep a best point per sample
 * (APGD, Square, AutoAttack): choose rows, take the rows of the samples still
 * robust, write a sub-batch's rows back.
 */

/** `cond_i ? a_i : b_i` for every sample `i` (rows of `[batch, …]` tensors). */
export function selectRows<T extends tf.Tensor>(cond: ArrayLike<boolean>, a: T, b: T): T {
  return tf.tidy(() => {
    const flags = tf.tensor1d(
      Array.from(cond, (c) => (c ? 1 : 0)),
      'bool',
    );
    const shape = [a.shape[0], ...a.shape.slice(1).map(() => 1)];
    return tf.where(tf.broadcastTo(tf.reshape(flags, shape), a.shape), a, b) as T;
  });
}

/** Rows `indices` of `t` (`[batch, …]` → `[indices.length, …]`). */
export function gatherRows<T extends tf.Tensor>(t: T, indices: readonly number[]): T {
  return tf.tidy(() => tf.gather(t, tf.tensor1d(indices as number[], 'int32')) as T);
}

/**
 * `full` with row `indices[j]` replaced by row `j` of `sub` wherever `take[j]`;
 * the inverse of {@link gatherRows} for the rows taken.
 */
export function scatterRows<T extends tf.Tensor>(
  full: T,
  sub: T,
  indices: readonly number[],
  take: ArrayLike<boolean>,
): T {
  return tf.tidy(() => {
    const source = new Int32Array(full.shape[0]);
    const replace = new Array<boolean>(full.shape[0]).fill(false);
    indices.forEach((row, j) => {
      if (take[j]) {
        source[row] = j;
        replace[row] = true;
      }
    });
    if (!replace.some(Boolean)) return tf.clone(full);
    return selectRows(replace, tf.gather(sub, tf.tensor1d(source, 'int32')) as T, full);
  });
}

/** Rows `indices` of a per-sample tensor that may also be shared by the batch (first dim 1): gathered only when per-sample. */
export function gatherIfPerSample<T extends tf.Tensor>(
  t: T | undefined,
  batch: number,
  indices: readonly number[],
): T | undefined {
  if (!t || t.shape[0] !== batch || batch === 1) return t;
  return gatherRows(t, indices);
}

/** The predicted class of every sample of `x` under `model` (inference mode). */
export function predictedClasses(ctx: Pick<AttackContext, 'model'>, x: tf.Tensor4D): Int32Array {
  return tf.tidy(
    () =>
      tf.argMax(ctx.model.apply(x, { training: false }) as tf.Tensor2D, 1).dataSync() as Int32Array,
  );
}

/** Indices `i` where `flags[i]` holds. */
export function indicesWhere(flags: ArrayLike<boolean>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

/**
 * Throws when an option the attack cannot honour was set: a generic attack
 * option (e.g. `targeted`, `init`) that this algorithm has no use for, so that
 * it is not silently ignored.
 */
export function rejectOptions(
  ctx: AttackContext<unknown>,
  name: string,
  unsupported: Partial<
    Record<'targeted' | 'randomStart' | 'init' | 'stepWeights' | 'loss' | 'stepSize', string>
  >,
): void {
  const o = ctx.options as unknown as Record<string, unknown>;
  for (const [key, why] of Object.entries(unsupported)) {
    // targeted: false and randomStart: true are what these attacks do anyway.
    const set =
      key === 'targeted'
        ? o.targeted === true
        : key === 'randomStart'
          ? o.randomStart === false
          : o[key] !== undefined;
    if (set) throw new InvalidOptionError(`${name}: option "${key}" is not supported: ${why}`);
  }
}

/** The model's number of classes, checked to be at least `least` (what `needs` requires). */
export function outputClasses(
  ctx: Pick<AttackContext, 'model'>,
  name: string,
  least: number,
  needs: string,
): number {
  const classes = (ctx.model.outputs[0].shape as number[])[1];
  if (!(classes >= least)) {
    throw new ShapeError(
      `${name}: ${needs} needs at least ${least} classes, the model outputs ${classes}; use apgd-ce for fewer classes`,
    );
  }
  return classes;
}
