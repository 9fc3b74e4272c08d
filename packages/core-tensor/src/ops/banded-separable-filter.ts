import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors/trustgrad-error';
import { assertRank } from '../shape/assert-shape';
import { type AxisOperator, transposeAxisOperator } from './axis-operator';

/** Name of the kernel trustgrad registers for the `wasm` backend (SIMD, one pass per axis). */
export const BANDED_SEPARABLE_FILTER = 'TrustgradBandedSeparableFilter';

/**
 * Applies `rows` along the height axis and `cols` along the width axis of
 * every channel (a separable linear filter with its border rule folded in):
 * `y[b,h,w,c] = Σ_t Σ_u rows.weight[h,t] · cols.weight[w,u] · x[b, rows.index[h,t], cols.index[w,u], c]`.
 * Differentiable in `x` (the gradient applies the transposed operators).
 *
 * On `wasm` it runs one fused kernel ({@link BANDED_SEPARABLE_FILTER}: two
 * passes over the heap, no padded copy); elsewhere it is composed from
 * `gather`, `mul` and `add`. {@link hasFastBandedSeparableFilter} says which.
 *
 * @param x `[batch, height, width, channels]` float32
 * @returns `[batch, height, width, channels]`
 */
export function bandedSeparableFilter(
  x: tf.Tensor4D,
  rows: AxisOperator,
  cols: AxisOperator,
): tf.Tensor4D {
  assertRank(x, 4, 'feature map [batch, height, width, channels]');
  const [, height, width] = x.shape;
  if (rows.size !== height || cols.size !== width) {
    throw new ShapeError(
      `bandedSeparableFilter: operators of sizes ${rows.size}×${cols.size} do not fit a ${height}×${width} feature map; build them for the map's height and width`,
    );
  }
  const op = tf.customGrad((input) => ({
    value: applySeparable(input as tf.Tensor4D, rows, cols),
    gradFunc: (dy) =>
      applySeparable(dy as tf.Tensor4D, transposeAxisOperator(rows), transposeAxisOperator(cols)),
  }));
  return op(x) as tf.Tensor4D;
}

/** Whether the current backend runs {@link bandedSeparableFilter} as one fused kernel. */
export function hasFastBandedSeparableFilter(): boolean {
  return tf.getKernel(BANDED_SEPARABLE_FILTER, tf.getBackend()) !== undefined;
}

function applySeparable(x: tf.Tensor4D, rows: AxisOperator, cols: AxisOperator): tf.Tensor4D {
  return tf.tidy(() => {
    const tables = [
      tf.tensor1d(rows.index, 'int32'),
      tf.tensor1d(rows.weight, 'float32'),
      tf.tensor1d(cols.index, 'int32'),
      tf.tensor1d(cols.weight, 'float32'),
    ];
    if (hasFastBandedSeparableFilter()) {
      const [rowIndex, rowWeight, colIndex, colWeight] = tables;
      return tf.engine().runKernel(
        BANDED_SEPARABLE_FILTER,
        {
          x: x.dtype === 'float32' ? x : tf.cast(x, 'float32'),
          rowIndex,
          rowWeight,
          colIndex,
          colWeight,
        },
        { rowTaps: rows.taps, colTaps: cols.taps },
      ) as tf.Tensor4D;
    }
    return applyAxis(applyAxis(x, rows, tables[0], tables[1], 1), cols, tables[2], tables[3], 2);
  });
}

/** One axis from tfjs ops: `Σ_t weight[:, t] ⊙ gather(x, index[:, t], axis)`. */
function applyAxis(
  x: tf.Tensor4D,
  op: AxisOperator,
  index: tf.Tensor1D,
  weight: tf.Tensor1D,
  axis: 1 | 2,
): tf.Tensor4D {
  const idx = tf.reshape(index, [op.size, op.taps]);
  const wt = tf.reshape(weight, [op.size, op.taps]);
  const broadcast = axis === 1 ? [1, op.size, 1, 1] : [1, 1, op.size, 1];
  let sum: tf.Tensor | null = null;
  for (let t = 0; t < op.taps; t++) {
    const column = (m: tf.Tensor) => tf.reshape(tf.slice(m, [0, t], [op.size, 1]), [op.size]);
    const term = tf.mul(tf.gather(x, column(idx), axis), tf.reshape(column(wt), broadcast));
    sum = sum === null ? term : tf.add(sum, term);
  }
  return sum as tf.Tensor4D;
}
