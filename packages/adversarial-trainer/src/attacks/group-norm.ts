import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Smallest group norm treated as non-zero when dividing by it. */
const TINY = 1e-12;

/**
 * Checks a patch size: an integer ≥ 1. Groups are the non-overlapping `k×k`
 * patches of the image (all channels together); when `h` or `w` is not a
 * multiple of `k`, the last row/column of patches is smaller.
 */
export function assertPatchSize(patch: number, who: string): void {
  if (!(Number.isInteger(patch) && patch >= 1)) {
    throw new InvalidOptionError(
      `${who}: patch must be an integer ≥ 1 (the side of the k×k groups), got ${patch}`,
    );
  }
}

/**
 * Per-group L2 norms `‖t_g‖₂ = sqrt(Σ_{(h,w)∈g, c} t_hwc²)` of an NHWC batch
 * over the non-overlapping `k×k` patches (all channels), compact:
 * `[batch, ceil(h/k), ceil(w/k)]`.
 */
export function groupNormsCompact(t: tf.Tensor, patch: number): tf.Tensor3D {
  return tf.tidy(() => {
    const g = grouped(t, patch);
    const [b, hb, , wb] = g.shape;
    return tf.reshape(tf.sqrt(tf.sum(tf.square(g), [2, 4, 5])), [b, hb, wb]) as tf.Tensor3D;
  });
}

/**
 * Per-group L2 norms spread back to every element of the group: same shape as
 * `t` (`[batch, h, w, c]`), element `(h, w, c)` holding `‖t_g‖₂` of its patch.
 */
export function groupNorms(t: tf.Tensor, patch: number): tf.Tensor4D {
  return tf.tidy(() => {
    const g = grouped(t, patch);
    const norms = tf.sqrt(tf.sum(tf.square(g), [2, 4, 5], true));
    return ungrouped(tf.mul(norms, tf.onesLike(g)), t.shape as [number, number, number, number]);
  });
}

/**
 * The group norm `‖δ‖_{G,2,∞} = max_g ‖δ_g‖₂` per sample, `[batch]`.
 * Its dual norm is the group-L1 norm {@link groupL1Norm}.
 */
export function groupLinfNorm(t: tf.Tensor, patch: number): tf.Tensor1D {
  return tf.tidy(
    () => tf.max(tf.reshape(groupNormsCompact(t, patch), [t.shape[0], -1]), 1) as tf.Tensor1D,
  );
}

/** The group-L1 norm `Σ_g ‖t_g‖₂` per sample, `[batch]` (dual of {@link groupLinfNorm}). */
export function groupL1Norm(t: tf.Tensor, patch: number): tf.Tensor1D {
  return tf.tidy(
    () => tf.sum(tf.reshape(groupNormsCompact(t, patch), [t.shape[0], -1]), 1) as tf.Tensor1D,
  );
}

/** `t_g / ‖t_g‖₂` for every group (0 in groups whose norm is 0): the steepest-ascent direction of the group-L2,∞ ball. */
export function normaliseGroups(t: tf.Tensor, patch: number): tf.Tensor4D {
  return tf.tidy(() => tf.div(t, tf.maximum(groupNorms(t, patch), TINY)) as tf.Tensor4D);
}

/**
 * Projects `delta` onto the group ball `max_g ‖δ_g‖₂ ≤ ε` (`eps` broadcastable to
 * `[batch,1,1,1]`): each group is scaled by `min(1, ε/‖δ_g‖₂)` on its own.
 */
export function projectGroup(
  delta: tf.Tensor,
  eps: tf.Tensor | number,
  patch: number,
): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.mul(
        delta,
        tf.minimum(1, tf.div(eps, tf.maximum(groupNorms(delta, patch), TINY))),
      ) as tf.Tensor4D,
  );
}

/** `[b,h,w,c]` → zero-padded to multiples of k → `[b, h/k, k, w/k, k, c]`. */
function grouped(t: tf.Tensor, k: number): tf.Tensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const hp = Math.ceil(h / k) * k;
  const wp = Math.ceil(w / k) * k;
  const padded =
    hp === h && wp === w
      ? t
      : tf.pad(t, [
          [0, 0],
          [0, hp - h],
          [0, wp - w],
          [0, 0],
        ]);
  return tf.reshape(padded, [b, hp / k, k, wp / k, k, c]);
}

/** Inverse of {@link grouped}: `[b, h/k, k, w/k, k, c]` → `[b, h, w, c]` (padding cut off). */
function ungrouped(g: tf.Tensor, shape: [number, number, number, number]): tf.Tensor4D {
  const [b, hb, k, wb, , c] = g.shape;
  const full = tf.reshape(g, [b, hb * k, wb * k, c]);
  return (
    hb * k === shape[1] && wb * k === shape[2] ? full : tf.slice(full, [0, 0, 0, 0], shape)
  ) as tf.Tensor4D;
}
