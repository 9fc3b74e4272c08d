import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors/trustgrad-error';
import { resolveOptions } from '../options/resolve-options';
import { assertSameShape } from '../shape/assert-shape';

/** Name of the fused kernel trustgrad registers for `wasm` (SIMD) and `cpu`. */
export const PGD_LINF_STEP = 'TrustgradPgdLinfStep';

/** Options of {@link pgdLinfStep}. */
export interface PgdLinfStepOptions {
  /** Step size α: a number, or one per sample (`[batch]` or `[batch, 1, …, 1]`). */
  stepSize: number | tf.Tensor;
  /** L∞ radius ε around `x`: a number, or one per sample. */
  epsilon: number | tf.Tensor;
  /**
   * Data range `[lo, hi]` the result is clipped to, or `null` for no clip
   * (the FMS authors' cleverhans protocol does not clip). Default `null`.
   */
  range?: readonly [number, number] | null;
}

const DEFAULTS: PgdLinfStepOptions = { stepSize: Number.NaN, epsilon: Number.NaN, range: null };

/**
 * One PGD-L∞ update (Madry et al. 2018) in one pass:
 *
 * `out = clip_[lo,hi]( x + min(max(xAdv + α · sign(g) − x, −ε), ε) )`
 *
 * with `sign` as tfjs's cpu `Sign` (±1, and 0 for ±0 and NaN), the projection
 * as `tf.maximum`/`tf.minimum` (NaN propagates) and the clip as
 * `tf.clipByValue`, skipped when `range` is null. Equal bit for bit to that
 * composition of eight ops on the cpu backend; on `wasm` and `cpu` it runs as
 * one kernel ({@link PGD_LINF_STEP}; on wasm one SIMD pass over the heap),
 * elsewhere as the composition ({@link composedPgdLinfStep}). Not
 * differentiable (an attack's update, not part of a loss).
 *
 * @param xAdv the current iterate `[batch, …]` float32
 * @param gradient `∇ₓ L(xAdv)`, same shape
 * @param x the clean input the ball is centred on, same shape
 * @returns the next iterate, same shape
 * @example
 * const next = pgdLinfStep(xAdv, tf.grad(loss)(xAdv), x, { stepSize: 0.01, epsilon: 0.1, range: [0, 1] });
 */
export function pgdLinfStep(
  xAdv: tf.Tensor,
  gradient: tf.Tensor,
  x: tf.Tensor,
  options: PgdLinfStepOptions,
): tf.Tensor {
  const { stepSize, epsilon, range } = resolveOptions('pgdLinfStep', DEFAULTS, options);
  assertSameShape(xAdv, gradient, 'xAdv', 'gradient');
  assertSameShape(xAdv, x, 'xAdv', 'x');
  if (xAdv.rank < 1 || xAdv.shape[0] < 1) {
    throw new ShapeError(
      `pgdLinfStep: xAdv has shape [${xAdv.shape.join(', ')}]; pass a batch [batch, …] with batch ≥ 1`,
    );
  }
  if (range != null && !(range.length === 2 && range[0] <= range[1])) {
    throw new InvalidOptionError(
      `pgdLinfStep: range must be [lo, hi] with lo ≤ hi, or null for no clip; got [${range.join(', ')}]`,
    );
  }
  const batch = xAdv.shape[0];
  return tf.tidy(() => {
    const alpha = perSample('stepSize', stepSize, batch);
    const eps = perSample('epsilon', epsilon, batch);
    const fused =
      tf.getKernel(PGD_LINF_STEP, tf.getBackend()) !== undefined &&
      [xAdv, gradient, x].every((t) => t.dtype === 'float32');
    if (!fused) return composedPgdLinfStep(xAdv, gradient, x, alpha, eps, range ?? null);
    return tf
      .engine()
      .runKernel(
        PGD_LINF_STEP,
        { xAdv, gradient, x, stepSize: alpha, epsilon: eps },
        { clip: range != null, lo: range?.[0] ?? 0, hi: range?.[1] ?? 0 },
      ) as tf.Tensor;
  });
}

/**
 * The composition {@link pgdLinfStep} fuses, from tfjs ops (`alpha`, `eps`
 * `[batch]`): `sign`, `mul`, `add`, `sub`, `maximum`, `minimum`, `add`, then
 * `clipByValue` unless `range` is null. The reference its tests compare with,
 * and the path on backends without the fused kernel.
 */
export function composedPgdLinfStep(
  xAdv: tf.Tensor,
  gradient: tf.Tensor,
  x: tf.Tensor,
  alpha: tf.Tensor1D,
  eps: tf.Tensor1D,
  range: readonly [number, number] | null,
): tf.Tensor {
  return tf.tidy(() => {
    const column = [alpha.shape[0], ...xAdv.shape.slice(1).map(() => 1)];
    const [a, e] = [tf.reshape(alpha, column), tf.reshape(eps, column)];
    const stepped = tf.add(xAdv, tf.mul(a, tf.sign(gradient)));
    const delta = tf.minimum(tf.maximum(tf.sub(stepped, x), tf.neg(e)), e);
    const next = tf.add(x, delta);
    return range ? tf.clipByValue(next, range[0], range[1]) : next;
  });
}

/** A number or per-sample tensor as a `[batch]` float32 tensor. */
function perSample(name: string, value: number | tf.Tensor, batch: number): tf.Tensor1D {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InvalidOptionError(
        `pgdLinfStep: ${name} must be a finite number or a per-sample tensor, got ${value}`,
      );
    }
    return tf.fill([batch], value, 'float32') as tf.Tensor1D;
  }
  if (
    !(value instanceof tf.Tensor) ||
    value.size !== batch ||
    value.shape.slice(1).some((d) => d !== 1)
  ) {
    throw new ShapeError(
      `pgdLinfStep: ${name} must be a number or a per-sample tensor [${batch}] or [${batch}, 1, …]; got ${
        value instanceof tf.Tensor ? `shape [${value.shape.join(', ')}]` : typeof value
      }`,
    );
  }
  return tf.cast(tf.reshape(value, [batch]), 'float32') as tf.Tensor1D;
}
