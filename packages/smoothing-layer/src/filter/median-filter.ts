import * as tf from '@tensorflow/tfjs-core';
import { assertRank } from '@trustgrad/core-tensor';
import type { SmoothingPadding } from '../options/smoothing-options';
import { padFeatureMap } from '../padding/pad-feature-map';

/**
 * The median filter: every channel of `x` replaced by the median of the
 * `kernelSize × kernelSize` window around each pixel (kornia's `median_blur`,
 * the FMS authors' "Median" ablation; kornia pads with zeros, `'same'`).
 * The gradient flows to the one window element that was selected, as
 * `torch.median`'s does (ties: to the first of the tied elements in window order).
 *
 * How: the `k²` shifted copies of the padded map are reduced elementwise by a
 * min/max sorting network (for 3×3 the 19-exchange median-of-9 network, else
 * odd–even transposition), so it runs as a few dozen elementwise kernels; the
 * backward pass routes `dy` to the first copy equal to the median and shifts it
 * back (a stack + `topk` version spent ~20 s per step on wasm in `Unpack`, the
 * stack's gradient, for `[64, 32, 32, 32]`).
 *
 * @param x `[batch, height, width, channels]`
 * @param kernelSize odd window side `k = 2r+1`
 * @param padding border handling
 * @returns `[batch, height, width, channels]`
 */
export function medianFilter(
  x: tf.Tensor4D,
  kernelSize: number,
  padding: SmoothingPadding,
): tf.Tensor4D {
  assertRank(x, 4, 'feature map [batch, height, width, channels]');
  if (kernelSize === 1) return x.clone();
  const r = (kernelSize - 1) / 2;
  const size = x.shape;
  const windows = (padded: tf.Tensor4D): tf.Tensor4D[] => {
    const out: tf.Tensor4D[] = [];
    for (let i = 0; i < kernelSize; i++) {
      for (let j = 0; j < kernelSize; j++) out.push(tf.slice(padded, [0, i, j, 0], size));
    }
    return out;
  };
  const medianOfPadded = tf.customGrad((padded, save) => {
    const median = windowMedian(windows(padded as tf.Tensor4D));
    (save as tf.GradSaveFunc)([padded as tf.Tensor, median]);
    return {
      value: median,
      gradFunc: (dy, saved) => {
        const [savedPadded, savedMedian] = saved as [tf.Tensor4D, tf.Tensor4D];
        const zeros = tf.zerosLike(dy as tf.Tensor);
        let taken = tf.zerosLike(savedMedian).cast('bool');
        let grad: tf.Tensor = tf.zerosLike(savedPadded);
        windows(savedPadded).forEach((w, o) => {
          const hit = tf.logicalAnd(tf.equal(w, savedMedian), tf.logicalNot(taken));
          taken = tf.logicalOr(taken, hit);
          const [i, j] = [Math.floor(o / kernelSize), o % kernelSize];
          const routed = tf.where(hit, dy as tf.Tensor, zeros);
          grad = tf.add(
            grad,
            tf.pad(routed, [
              [0, 0],
              [i, 2 * r - i],
              [j, 2 * r - j],
              [0, 0],
            ]),
          );
        });
        return grad;
      },
    };
  });
  return tf.tidy(() => medianOfPadded(padFeatureMap(x, r, padding)) as tf.Tensor4D);
}

/** Devillard's median-of-9 network (19 compare-exchanges); `p[4]` holds the median after it. */
const MEDIAN_OF_9: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [4, 5],
  [7, 8],
  [0, 1],
  [3, 4],
  [6, 7],
  [1, 2],
  [4, 5],
  [7, 8],
  [0, 3],
  [5, 8],
  [4, 7],
  [3, 6],
  [1, 4],
  [2, 5],
  [4, 7],
  [4, 2],
  [6, 4],
  [4, 2],
];

/** The elementwise median of an odd number of same-shape tensors, by a min/max network. */
function windowMedian(values: tf.Tensor4D[]): tf.Tensor4D {
  const n = values.length;
  const middle = (n - 1) / 2;
  let network: Array<readonly [number, number]>;
  if (n === 9) {
    network = [...MEDIAN_OF_9];
  } else {
    // odd–even transposition sort: n rounds sort n values
    network = [];
    for (let round = 0; round < n; round++) {
      for (let a = round % 2; a + 1 < n; a += 2) network.push([a, a + 1]);
    }
  }
  // Only the outputs that feed the median are computed: walk the network backwards from it.
  const needed = new Set([middle]);
  const plan = network
    .reverse()
    .map(([a, b]) => {
      const step = { a, b, lo: needed.has(a), hi: needed.has(b) };
      if (step.lo || step.hi) needed.add(a).add(b);
      return step;
    })
    .filter((step) => step.lo || step.hi)
    .reverse();
  const p: tf.Tensor[] = [...values];
  for (const { a, b, lo, hi } of plan) {
    const [x, y] = [p[a], p[b]];
    if (lo) p[a] = tf.minimum(x, y);
    if (hi) p[b] = tf.maximum(x, y);
  }
  return p[middle] as tf.Tensor4D;
}
