import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SeededRandom, ShapeError } from '@trustgrad/core-tensor';

/**
 * The reference input `b` of a path method (Integrated Gradients):
 * - `'zero'`: all zeros (black image, for inputs scaled to [0, 1]),
 * - `'blur'`: `x` blurred with a Gaussian of `blurSigma` pixels (Sturmfels et al. 2020),
 * - `'uniform'`: uniform noise in each sample's `[min x, max x]`, seeded,
 * - a tensor: `[b, ...]` like `x`, or one sample `[...]` used for every sample,
 * - a function `(x) => b` returning a tensor of `x`'s shape.
 */
export type BaselineSpec = 'zero' | 'blur' | 'uniform' | tf.Tensor | ((x: tf.Tensor) => tf.Tensor);

/** Options that shape the built-in baselines. */
export interface BaselineOptions {
  /** Gaussian σ in pixels for `'blur'`. */
  blurSigma: number;
  /** Seed of the `'uniform'` noise. */
  seed: number;
}

/**
 * The options of a method whose perturbations replace features by a baseline
 * (Occlusion, Feature Ablation, Kernel SHAP, Shapley Value Sampling): which
 * baseline, and the σ and seed of the built-in ones.
 */
export interface ReplacementBaselineOptions extends BaselineOptions {
  /** Value a replaced feature takes. Default `'zero'` (Captum's `baselines = 0`). */
  baseline: BaselineSpec;
  /** Gaussian σ (pixels) of the `'blur'` baseline. Default 5. */
  blurSigma: number;
  /** Seed of the `'uniform'` baseline (and of a method's own random draws). Default 0. */
  seed: number;
}

/** The defaults of {@link ReplacementBaselineOptions}: the zero baseline. */
export const REPLACEMENT_BASELINE_DEFAULTS: ReplacementBaselineOptions = Object.freeze({
  baseline: 'zero',
  blurSigma: 5,
  seed: 0,
});

/** Builds the baseline for `x` (same shape as `x`). */
export function makeBaseline(
  spec: BaselineSpec,
  x: tf.Tensor,
  options: BaselineOptions,
): tf.Tensor {
  return tf.tidy(() => {
    if (spec instanceof tf.Tensor) return broadcastBaseline(spec, x);
    if (typeof spec === 'function') return broadcastBaseline(spec(x), x);
    switch (spec) {
      case 'zero':
        return tf.zerosLike(x);
      case 'blur':
        return gaussianBlur(x, options.blurSigma);
      case 'uniform':
        return uniformNoiseLike(x, options.seed);
      default:
        throw new InvalidOptionError(
          `baseline "${String(spec)}" is unknown; use 'zero', 'blur', 'uniform', a tensor or a function (x) => tensor`,
        );
    }
  });
}

function broadcastBaseline(baseline: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const sameAsSample =
    baseline.rank === x.rank - 1 && baseline.shape.every((d, i) => d === x.shape[i + 1]);
  if (sameAsSample) return tf.broadcastTo(tf.expandDims(baseline, 0), x.shape);
  const sameAsBatch = baseline.rank === x.rank && baseline.shape.every((d, i) => d === x.shape[i]);
  if (sameAsBatch) return baseline.clone();
  throw new ShapeError(
    `baseline has shape [${baseline.shape.join(', ')}], expected [${x.shape.join(', ')}] (like x) ` +
      `or [${x.shape.slice(1).join(', ')}] (one sample for all)`,
  );
}

/** Separable Gaussian blur of an NHWC batch, every channel alike, 'same' size with edge replication. */
export function gaussianBlur(x: tf.Tensor, sigma: number): tf.Tensor {
  if (x.rank !== 4) {
    throw new ShapeError(
      `the blur baseline needs NHWC images [b, h, w, c], got shape [${x.shape.join(', ')}]`,
    );
  }
  if (!(sigma > 0)) throw new InvalidOptionError(`blurSigma must be > 0 pixels, got ${sigma}`);
  return tf.tidy(() => {
    const radius = Math.max(1, Math.ceil(3 * sigma));
    const taps: number[] = Array.from({ length: 2 * radius + 1 }, (_, i) =>
      Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
    );
    const total = taps.reduce((a, b) => a + b, 0);
    const kernel: number[] = taps.map((t) => t / total);
    const channels = x.shape[3] as number;
    const x4 = x as tf.Tensor4D;
    // Replicate edges so a constant image stays constant.
    const padRows = edgePad(x4, radius, 1);
    const rows = tf.depthwiseConv2d(
      padRows,
      tf.tile(tf.tensor4d(kernel, [kernel.length, 1, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D,
      1,
      'valid',
    );
    const padCols = edgePad(rows, radius, 2);
    return tf.depthwiseConv2d(
      padCols,
      tf.tile(tf.tensor4d(kernel, [1, kernel.length, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D,
      1,
      'valid',
    );
  });
}

function edgePad(x: tf.Tensor4D, r: number, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const size = axis === 1 ? [-1, 1, -1, -1] : [-1, -1, 1, -1];
  const first = tf.slice(x, [0, 0, 0, 0], size);
  const last = tf.slice(x, axis === 1 ? [0, n - 1, 0, 0] : [0, 0, n - 1, 0], size);
  const reps = axis === 1 ? [1, r, 1, 1] : [1, 1, r, 1];
  return tf.concat([tf.tile(first, reps), x, tf.tile(last, reps)], axis) as tf.Tensor4D;
}

/** Uniform noise in each sample's own value range `[min x_i, max x_i]`, from a seeded RNG. */
function uniformNoiseLike(x: tf.Tensor, seed: number): tf.Tensor {
  const b = x.shape[0];
  const flat = tf.reshape(x, [b, -1]);
  const lo = tf.min(flat, 1, true);
  const hi = tf.max(flat, 1, true);
  const unit = new SeededRandom(seed).uniformTensor(flat.shape, 0, 1);
  return tf.reshape(tf.add(lo, tf.mul(unit, tf.sub(hi, lo))), x.shape);
}
