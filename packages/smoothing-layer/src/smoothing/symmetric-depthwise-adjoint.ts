import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { cachedStageFilters } from './stage-filter-cache';

/**
 * `y = K(P(x))` where `P` pads both spatial axes by `r` (`'reflect'`: mirror,
 * `'same'`: zeros) and `K` is a chain of 'valid' depthwise convolutions
 * (`stages`, applied in order) whose combined kernel is symmetric under a 180°
 * turn, as every Gaussian is. The backward pass is written by hand from the
 * same native ops as the forward:
 *
 * - same:    `∂L/∂x = K(P(dy))` (zero padding and a symmetric kernel: `Aᵀ = A`)
 * - reflect: `∂L/∂x = M⁻¹ ⊙ K(P(M ⊙ dy))`, `M = m_h ⊗ m_w`, `m = [2, 1, …, 1, 2]`.
 *
 * Why the reflect rule holds: per axis the operator is `A = K·P`, and
 * `(Aᵀdy)[i] = Σ_t g(t)·(dy[i−t] + [i≥1]·dy[−i−t] + [i≤n−2]·dy[2(n−1)−i−t])`
 * (dy zero outside [0, n)). For 1 ≤ i ≤ n−2 that is the smoothing of the
 * reflect-padded dy; on an edge pixel the reflected terms fall on the pixel's
 * own mirror image and count half. Weighting the edge pixels by 2 before and
 * by ½ after (A is self-adjoint in the M-weighted inner product) gives the
 * exact transpose. It needs `r ≤ n−2` on both axes (the caller checks). It
 * runs at forward speed, needs no `MirrorPad` gradient (tfjs 4.22's drops the
 * border) and no depthwise input-backprop kernel.
 *
 * With `filterIsInput` (one dense stage, for a learned σ) the filter's
 * gradient is returned too.
 *
 * @param x `[batch, height, width, channels]`
 * @param stages depthwise filters `[kh, kw, channels, 1]`, together spanning `2r+1` per axis
 */
export function symmetricDepthwiseWithAdjoint(
  x: tf.Tensor4D,
  stages: tf.Tensor4D[],
  r: number,
  mode: 'reflect' | 'same',
  filterIsInput: boolean,
): tf.Tensor4D {
  const paddings: Array<[number, number]> = [
    [0, 0],
    [r, r],
    [r, r],
    [0, 0],
  ];
  const pad = (t: tf.Tensor4D): tf.Tensor4D =>
    mode === 'reflect' ? tf.mirrorPad(t, paddings, 'reflect') : tf.pad(t, paddings);
  const smooth = (padded: tf.Tensor4D, filters: tf.Tensor4D[]) =>
    filters.reduce((t, f) => tf.depthwiseConv2d(t, f, 1, 'valid'), padded);
  const [, height, width] = x.shape;

  const inputGradient = (dy: tf.Tensor4D, filters: tf.Tensor4D[]): tf.Tensor4D =>
    tf.tidy(() => {
      if (mode === 'same') return smooth(pad(dy), filters);
      const [multiplicity, reciprocal] = cachedStageFilters(`edges|${height}|${width}`, () => {
        const m = edgeMultiplicity(height, width);
        return [m, tf.reciprocal(m) as tf.Tensor4D];
      });
      return tf.mul(
        smooth(pad(tf.mul(dy, multiplicity) as tf.Tensor4D), filters),
        reciprocal,
      ) as tf.Tensor4D;
    });

  if (!filterIsInput) {
    // The filters are saved (kept) because the caller's tidy disposes them before the backward pass runs.
    const op = tf.customGrad((input, save) => {
      (save as tf.GradSaveFunc)(stages);
      return {
        value: smooth(pad(input as tf.Tensor4D), stages),
        gradFunc: (dy, saved) => inputGradient(dy as tf.Tensor4D, saved as tf.Tensor4D[]),
      };
    });
    return op(x) as tf.Tensor4D;
  }
  if (stages.length !== 1) {
    throw new InvalidOptionError(
      `a learned smoothing filter must be one dense [k, k, c, 1] stage, got ${stages.length} stages; pass the dense kernel`,
    );
  }
  const op = tf.customGrad((input, filter, save) => {
    const padded = pad(input as tf.Tensor4D);
    (save as tf.GradSaveFunc)([padded, filter as tf.Tensor]);
    return {
      value: smooth(padded, [filter as tf.Tensor4D]),
      gradFunc: (dy, saved) => {
        const [savedPadded, savedFilter] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [
          inputGradient(dy as tf.Tensor4D, [savedFilter]),
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: savedPadded, dy },
              { strides: 1, pad: 'valid', dilations: 1, filterShape: savedFilter.shape },
            ) as tf.Tensor4D,
        ];
      },
    };
  });
  return op(x, stages[0]) as tf.Tensor4D;
}

/** `[1, h, w, 1]`: the weights `M = m_h ⊗ m_w` of the reflect adjoint, 2 on edges, 4 in corners, 1 inside. */
function edgeMultiplicity(height: number, width: number): tf.Tensor4D {
  const axis = (n: number) =>
    tf.tensor1d(Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 2 : 1)));
  return tf.tidy(() =>
    tf.reshape(tf.outerProduct(axis(height), axis(width)), [1, height, width, 1]),
  );
}
