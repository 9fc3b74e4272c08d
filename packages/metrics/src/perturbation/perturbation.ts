import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';

/**
 * Makes `count` perturbed copies of every sample of `x` (`[n, h, w, c]`):
 * returns `[n·count, h, w, c]`, sample-major (rows `i·count … i·count+count−1`
 * perturb sample i). Draws come from `rng`, so a seed fixes them on every backend.
 */
export type Perturbation = (x: tf.Tensor4D, count: number, rng: SeededRandom) => tf.Tensor4D;

/** `x` repeated `count` times per sample, sample-major: `[n·count, h, w, c]`. */
export function repeatSamples<T extends tf.Tensor>(x: T, count: number): T {
  return tf.tidy(() => {
    const [n, ...rest] = x.shape;
    const expanded = tf.expandDims(x, 1);
    const reps = [1, count, ...rest.map(() => 1)];
    return tf.reshape(tf.tile(expanded, reps), [n * count, ...rest]) as T;
  });
}

/**
 * Additive Gaussian noise `x' = x + N(0, σ²)` (σ absolute, in input units),
 * optionally clipped to `clip = [min, max]`.
 */
export function gaussianPerturbation(sigma: number, clip?: [number, number]): Perturbation {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new InvalidOptionError(
      `Gaussian perturbation σ must be a finite number ≥ 0, got ${sigma}`,
    );
  }
  return additiveNoise((size, rng) => rng.normalArray(size, 0, sigma), clip);
}

/**
 * Uniform noise in the L∞ ball: `x' = x + U[−r, r]` element-wise (r absolute),
 * optionally clipped to `clip = [min, max]`.
 */
export function uniformPerturbation(radius: number, clip?: [number, number]): Perturbation {
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new InvalidOptionError(
      `uniform perturbation radius must be a finite number ≥ 0, got ${radius}`,
    );
  }
  return additiveNoise((size, rng) => rng.uniformArray(size, -radius, radius), clip);
}

/**
 * Uniform noise on an interval: `x' = x + U[low, high]` element-wise (absolute
 * units), optionally clipped. With `low = 0.02, high = 0.2` and no clipping it is
 * Quantus' `batch_uniform_noise(lower_bound=0.02, upper_bound=0.2)`, the default
 * perturbation of its RelativeInput/Output/RepresentationStability: every
 * element moves *up* by 0.02–0.2, so the copies are not centred on x.
 */
export function uniformIntervalPerturbation(
  low: number,
  high: number,
  clip?: [number, number],
): Perturbation {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
    throw new InvalidOptionError(
      `uniform interval perturbation needs finite low < high, got [${low}, ${high}]`,
    );
  }
  return additiveNoise((size, rng) => rng.uniformArray(size, low, high), clip);
}

/** `x' = x + noise` on `count` copies per sample, `noise` drawn element-wise by `draw`, optionally clipped. */
function additiveNoise(
  draw: (size: number, rng: SeededRandom) => Float32Array,
  clip?: [number, number],
): Perturbation {
  return (x, count, rng) =>
    tf.tidy(() => {
      const noise = tf.tensor(draw(x.size * count, rng), [x.shape[0] * count, ...x.shape.slice(1)]);
      const out = tf.add(repeatSamples(x, count), noise);
      return (clip ? tf.clipByValue(out, clip[0], clip[1]) : out) as tf.Tensor4D;
    });
}
