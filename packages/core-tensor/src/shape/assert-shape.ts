import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors/trustgrad-error';

/** `null` in an expected shape matches any size on that axis. */
export type ShapePattern = ReadonlyArray<number | null>;

/**
 * Checks that `tensor` has the shape `expected` (null = any size) and throws a
 * {@link ShapeError} that names the argument, the shape seen and the shape wanted.
 *
 * @example assertShape(x, [null, 28, 28, 1], 'x'); // NHWC batch of 28×28 grey images
 */
export function assertShape(tensor: tf.Tensor, expected: ShapePattern, name = 'tensor'): void {
  const actual = tensor.shape;
  const ok =
    actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
  if (!ok) {
    throw new ShapeError(
      `${name} has shape [${actual.join(', ')}], expected [${expected
        .map((d) => (d === null ? '*' : d))
        .join(', ')}]`,
    );
  }
}

/** Checks that `tensor` has rank `rank` (e.g. 4 for an NHWC image batch). */
export function assertRank(tensor: tf.Tensor, rank: number, name = 'tensor', hint = ''): void {
  if (tensor.rank !== rank) {
    throw new ShapeError(
      `${name} has rank ${tensor.rank} (shape [${tensor.shape.join(', ')}]), expected rank ${rank}${hint ? `: ${hint}` : ''}`,
    );
  }
}

/** Checks that two tensors have identical shapes. */
export function assertSameShape(a: tf.Tensor, b: tf.Tensor, nameA = 'a', nameB = 'b'): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(
      `${nameA} has shape [${a.shape.join(', ')}] but ${nameB} has shape [${b.shape.join(', ')}]; they must match`,
    );
  }
}
