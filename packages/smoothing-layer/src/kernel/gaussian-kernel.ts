import * as tf from '@tensorflow/tfjs-core';

/**
 * The smallest σ the kernel is built with. Below it every tap but the centre
 * underflows to exactly 0 in float32, so the kernel is a delta (the identity)
 * and the division by 2σ² stays finite when σ = 0 is asked for.
 */
export const SIGMA_FLOOR = 1e-6;

/**
 * The default kernel size for a given σ: `2·ceil(2σ)+1` (odd, covers ±2σ,
 * about 95% of the 1-D Gaussian's mass before normalisation). σ = 0 gives 1.
 */
export function defaultKernelSize(sigma: number): number {
  return 2 * Math.ceil(2 * sigma) + 1;
}

/**
 * The taps of {@link gaussianKernel1d} as plain float64 numbers, for a fixed σ.
 */
export function gaussianTaps(sigma: number, kernelSize: number): number[] {
  const r = (kernelSize - 1) / 2;
  const s = Math.max(sigma, SIGMA_FLOOR);
  const taps = Array.from({ length: kernelSize }, (_, t) =>
    Math.exp(-((t - r) ** 2) / (2 * s * s)),
  );
  const z = taps.reduce((a, b) => a + b, 0);
  return taps.map((v) => v / z);
}

/**
 * The normalised 1-D Gaussian `g(i) = exp(-i²/(2σ²)) / Σ_i exp(-i²/(2σ²))`,
 * `i ∈ [-r, r]`, `r = (kernelSize-1)/2`. Differentiable in `sigma` when it is a
 * tensor. σ is floored at {@link SIGMA_FLOOR} (σ→0 gives the delta).
 *
 * @param sigma the standard deviation in pixels, a number or a scalar tensor
 * @param kernelSize odd number of taps
 * @returns `[kernelSize]`, summing to 1
 */
export function gaussianKernel1d(sigma: number | tf.Scalar, kernelSize: number): tf.Tensor1D {
  return tf.tidy(() => {
    const r = (kernelSize - 1) / 2;
    const squaredOffsets = tf.tensor1d(Array.from({ length: kernelSize }, (_, t) => (t - r) ** 2));
    const s = tf.maximum(typeof sigma === 'number' ? tf.scalar(sigma) : sigma, SIGMA_FLOOR);
    const unnormalised = tf.exp(tf.div(tf.neg(squaredOffsets), tf.mul(2, tf.square(s))));
    return tf.div(unnormalised, tf.sum(unnormalised)) as tf.Tensor1D;
  });
}

/**
 * The normalised 2-D Gaussian of the FMS paper,
 * `g(i,j) = exp(-(i²+j²)/(2σ²)) / Z`, `i,j ∈ [-r, r]`, with `Z` making it sum
 * to 1. It is the outer product of {@link gaussianKernel1d} with itself
 * (the Gaussian is separable, `Z = Z₁²`).
 *
 * @returns `[kernelSize, kernelSize]`, summing to 1
 * @example
 * gaussianKernel2d(1, 5).sum(); // 1
 */
export function gaussianKernel2d(sigma: number | tf.Scalar, kernelSize: number): tf.Tensor2D {
  return tf.tidy(() => {
    const g = gaussianKernel1d(sigma, kernelSize);
    return tf.outerProduct(g, g);
  });
}
