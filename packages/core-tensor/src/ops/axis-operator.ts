import { InvalidOptionError } from '../errors/trustgrad-error';

/**
 * A linear map along one spatial axis, `out[i] = Σ_t weight[i, t] · in[index[i, t]]`,
 * stored as `taps` (source index, weight) pairs per output position: the
 * compressed rows of a banded `size × size` matrix. Padding of any kind
 * (reflect, replicate, zeros) folds into the indices and weights, so a filter
 * with its border rule is one operator.
 */
export interface AxisOperator {
  /** Positions along the axis (input and output). */
  readonly size: number;
  /** Pairs per output position (unused ones have weight 0 and index 0). */
  readonly taps: number;
  /** `[size · taps]` source positions, row-major. */
  readonly index: Int32Array;
  /** `[size · taps]` weights, row-major. */
  readonly weight: Float32Array;
}

/**
 * The operator of a dense `size × size` matrix (`matrix[i][j]`: weight of
 * input `j` in output `i`), keeping only its non-zero entries.
 *
 * @example
 * // 3-tap box filter with zero padding on 4 positions
 * const op = axisOperatorFromMatrix([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]]);
 */
export function axisOperatorFromMatrix(matrix: ArrayLike<ArrayLike<number>>): AxisOperator {
  const size = matrix.length;
  if (size === 0) throw new InvalidOptionError('an axis operator needs at least one position');
  for (const [i, row] of Array.from(matrix).entries()) {
    if (row.length !== size) {
      throw new InvalidOptionError(
        `an axis operator's matrix must be square: row ${i} has ${row.length} entries, expected ${size}`,
      );
    }
    for (const v of Array.from(row)) {
      if (!Number.isFinite(v)) {
        throw new InvalidOptionError(
          `an axis operator's matrix has a non-finite entry in row ${i}`,
        );
      }
    }
  }
  const nonZero = Array.from(matrix, (row) =>
    Array.from(row)
      .map((w, j) => [j, w] as const)
      .filter(([, w]) => w !== 0),
  );
  const taps = Math.max(1, ...nonZero.map((entries) => entries.length));
  const index = new Int32Array(size * taps);
  const weight = new Float32Array(size * taps);
  nonZero.forEach((entries, i) => {
    entries.forEach(([j, w], t) => {
      index[i * taps + t] = j;
      weight[i * taps + t] = w;
    });
  });
  return { size, taps, index, weight };
}

/** The dense matrix of an operator (`matrix[i][j]`), float64 sums of its pairs. */
export function axisOperatorMatrix(op: AxisOperator): number[][] {
  const matrix = Array.from({ length: op.size }, () => new Array<number>(op.size).fill(0));
  for (let i = 0; i < op.size; i++) {
    for (let t = 0; t < op.taps; t++) {
      matrix[i][op.index[i * op.taps + t]] += op.weight[i * op.taps + t];
    }
  }
  return matrix;
}

/** The transposed operator (the adjoint, used for gradients). */
export function transposeAxisOperator(op: AxisOperator): AxisOperator {
  const matrix = axisOperatorMatrix(op);
  return axisOperatorFromMatrix(matrix.map((_, i) => matrix.map((row) => row[i])));
}
