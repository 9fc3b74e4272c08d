import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@trustgrad/core-tensor';
import type { LogitsFunction, ModelLike } from '../model/model-like';
import { type OutputKind, targetQuantity } from '../model/target-quantity';

/** `f_t(x)` per sample and `∂f_t/∂x`, for a batch of inputs. */
// A type alias (not an interface) so it fits tf.tidy's TensorContainer.
export type ValueAndGradient = {
  /** The explained quantity per sample, `[n]`. */
  value: tf.Tensor1D;
  /** Its gradient with respect to the input, `[n, ...]` like the input. */
  gradient: tf.Tensor;
};

/**
 * What an attribution method gets besides `x` and its options: the model and
 * helpers that evaluate the explained quantity `f_t` (the target logit,
 * probability or loss) and its input gradient in chunks of `batchSize`.
 *
 * The helpers take any batch `xs` whose size is a multiple `k·b` of the
 * explained batch `b`: it is read as `k` blocks of the `b` samples in order
 * (block-major, as `tf.concat([x1, x2, ...])` builds it), and sample `j` of
 * every block is explained for `targets[j]`. Pass `targets` to override.
 */
export interface ExplainContext {
  /** The model as the caller gave it (Grad-CAM needs its layers). */
  readonly model: ModelLike;
  /** The model as a function from inputs `[n, ...]` to logits `[n, classes]`. */
  readonly logits: LogitsFunction;
  /** Class explained per sample, int32 `[b]`. Owned by `explain`; do not dispose. */
  readonly targets: tf.Tensor1D;
  /** The explained quantity. */
  readonly output: OutputKind;
  /** Most images per forward/backward pass. */
  readonly batchSize: number;
  /** `f_t(xs)` per sample, `[n]`, without gradients. */
  quantity(xs: tf.Tensor, targets?: tf.Tensor1D): tf.Tensor1D;
  /** `∂f_t/∂xs`, same shape as `xs`. */
  gradient(xs: tf.Tensor, targets?: tf.Tensor1D): tf.Tensor;
  /** Both at once (one forward pass). */
  valueAndGradient(xs: tf.Tensor, targets?: tf.Tensor1D): ValueAndGradient;
}

/** Builds the context for one `explain` call. `targets` stays owned by the caller. */
export function createExplainContext(
  model: ModelLike,
  logits: LogitsFunction,
  targets: tf.Tensor1D,
  output: OutputKind,
  batchSize: number,
): ExplainContext {
  const targetsFor = (xs: tf.Tensor, given?: tf.Tensor1D): tf.Tensor1D => {
    const n = xs.shape[0];
    if (given) {
      if (given.rank !== 1 || given.shape[0] !== n) {
        throw new ShapeError(
          `targets has shape [${given.shape.join(', ')}], expected [${n}] for ${n} inputs`,
        );
      }
      return given;
    }
    const b = targets.shape[0];
    if (n === b) return targets;
    if (n % b !== 0) {
      throw new ShapeError(
        `cannot match ${n} inputs to the ${b} explained samples: give a multiple of ${b} ` +
          '(blocks of the batch in order) or pass targets explicitly',
      );
    }
    return tf.tile(targets, [n / b]) as tf.Tensor1D;
  };

  const chunked = <T extends tf.TensorContainer>(
    xs: tf.Tensor,
    given: tf.Tensor1D | undefined,
    run: (xc: tf.Tensor, tc: tf.Tensor1D) => T,
    join: (parts: T[]) => T,
  ): T =>
    tf.tidy(() => {
      const t = targetsFor(xs, given);
      const n = xs.shape[0];
      if (n <= batchSize) return run(xs, t);
      const parts: T[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        parts.push(run(tf.slice(xs, start, size), tf.slice(t, start, size)));
      }
      return join(parts);
    });

  // f_t is per-sample, so the gradient of the vector [n] (seeded with ones) is
  // the gradient of its sum: row i of the result is ∂f_t(x_i)/∂x_i.
  const valueAndGradientOfChunk = (xc: tf.Tensor, tc: tf.Tensor1D): ValueAndGradient => {
    const { value, grad } = tf.valueAndGrad((input: tf.Tensor) =>
      targetQuantity(logits(input), tc, output),
    )(xc);
    return { value: value as tf.Tensor1D, gradient: grad };
  };

  return {
    model,
    logits,
    targets,
    output,
    batchSize,
    quantity: (xs, given) =>
      chunked(
        xs,
        given,
        (xc, tc) => targetQuantity(logits(xc), tc, output),
        (parts) => tf.concat(parts) as tf.Tensor1D,
      ),
    gradient: (xs, given) =>
      chunked(
        xs,
        given,
        (xc, tc) => valueAndGradientOfChunk(xc, tc).gradient,
        (parts) => tf.concat(parts),
      ),
    valueAndGradient: (xs, given) =>
      chunked(xs, given, valueAndGradientOfChunk, (parts) => ({
        value: tf.concat(parts.map((p) => p.value)) as tf.Tensor1D,
        gradient: tf.concat(parts.map((p) => p.gradient)),
      })),
  };
}
