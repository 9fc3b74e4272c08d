import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@trustgrad/core-tensor';
import type { SmoothingPadding } from '../options/smoothing-options';

/**
 * Pads the two spatial axes of an NHWC feature map by `r` pixels on each side.
 *
 * - `'reflect'`: mirror without repeating the edge, `c b | a b c d | c b`
 *   (PyTorch `reflect`, NumPy `reflect`); needs `r < height` and `r < width`.
 * - `'same'`: zeros.
 * - `'replicate'`: repeat the edge value, `a a | a b c d | d d`.
 *
 * Built from slice / reverse / tile / concat so every mode is differentiable
 * with the right gradient: tfjs 4.22's `MirrorPad` gradient only slices the
 * centre and drops what flowed into the mirrored border.
 *
 * @param x `[batch, height, width, channels]`
 * @returns `[batch, height + 2r, width + 2r, channels]`
 */
export function padFeatureMap(x: tf.Tensor4D, r: number, mode: SmoothingPadding): tf.Tensor4D {
  if (r === 0) return x.clone();
  if (mode === 'same')
    return tf.pad(x, [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ]);
  const [, height, width] = x.shape;
  if (mode === 'reflect') assertReflectFits(r, height, width);
  return tf.tidy(() => padAxis(padAxis(x, 1, r, mode), 2, r, mode));
}

/** Reflect padding by `r` mirrors `r` pixels past the edge, so it needs `r < height` and `r < width`. */
export function assertReflectFits(r: number, height: number, width: number): void {
  if (r >= height || r >= width) {
    throw new ShapeError(
      `reflect padding by ${r} needs a feature map larger than ${r}×${r}, got ${height}×${width}; ` +
        `use a smaller sigma/kernelSize (radius < ${Math.min(height, width)}) or padding 'replicate'`,
    );
  }
}

function padAxis(
  x: tf.Tensor4D,
  axis: 1 | 2,
  r: number,
  mode: 'reflect' | 'replicate',
): tf.Tensor4D {
  const n = x.shape[axis];
  const along = (start: number, size: number) => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(x, begin, sizes);
  };
  let before: tf.Tensor4D;
  let after: tf.Tensor4D;
  if (mode === 'reflect') {
    before = tf.reverse(along(1, r), axis);
    after = tf.reverse(along(n - 1 - r, r), axis);
  } else {
    const reps: [number, number, number, number] = [1, 1, 1, 1];
    reps[axis] = r;
    before = tf.tile(along(0, 1), reps);
    after = tf.tile(along(n - 1, 1), reps);
  }
  return tf.concat([before, x, after], axis);
}
